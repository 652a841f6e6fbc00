import type { Context } from 'koa';
import { expect } from 'chai';
import sinon from 'sinon';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';

/** The one part of a Koa context the gate touches: response headers. */
const context = () => {
  const headers: Record<string, string> = {};
  return { headers, ctx: { set: (name: string, value: string) => void (headers[name] = value) } as unknown as Context };
};

/** A request handler that finishes when the test says so. */
const pendingRequest = () => {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { next: () => done, finish };
};

describe('createShutdownGate', () => {
  afterEach(() => sinon.restore());

  it('counts requests while they run', async () => {
    const gate = createShutdownGate();
    const request = pendingRequest();
    const running = gate.middleware()(context().ctx, request.next);
    expect(gate.inFlight).to.equal(1);
    request.finish();
    await running;
    expect(gate.inFlight).to.equal(0);
  });

  it('still counts a request whose handler threw as finished', async () => {
    const gate = createShutdownGate();
    const failing = gate.middleware()(context().ctx, () => Promise.reject(new Error('boom')));
    await failing.catch(() => undefined);
    expect(gate.inFlight).to.equal(0);
  });

  it('closes at once when nothing is in flight', async () => {
    const gate = createShutdownGate();
    expect(await gate.close(1000)).to.deep.equal({ drained: true, remaining: 0 });
    expect(gate.closing).to.equal(true);
  });

  it('waits for the requests it accepted, and asks later ones to close their connection', async () => {
    const gate = createShutdownGate();
    const first = pendingRequest();
    const firstRun = gate.middleware()(context().ctx, first.next);
    const closed = gate.close(60_000);
    const late = context();
    const lateRequest = pendingRequest();
    const lateRun = gate.middleware()(late.ctx, lateRequest.next);
    expect(late.headers).to.deep.equal({ Connection: 'close' });
    first.finish();
    lateRequest.finish();
    await Promise.all([firstRun, lateRun]);
    expect(await closed).to.deep.equal({ drained: true, remaining: 0 });
  });

  it('gives up after the timeout, saying how many requests remain', async () => {
    const clock = sinon.useFakeTimers();
    const gate = createShutdownGate();
    void gate.middleware()(context().ctx, pendingRequest().next);
    const closed = gate.close(5000);
    await clock.tickAsync(5000);
    expect(await closed).to.deep.equal({ drained: false, remaining: 1 });
  });

  it('leaves headers alone while open', async () => {
    const gate = createShutdownGate();
    const open = context();
    await gate.middleware()(open.ctx, () => Promise.resolve());
    expect(open.headers).to.deep.equal({});
  });
});
