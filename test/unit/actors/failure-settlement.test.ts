import { expect } from 'chai';
import type { JsMsg } from '@nats-io/jetstream';
import { DEFAULT_FAILURE_POLICY, failureSettlement } from '../../../src/actors/failure-settlement.js';
import { AppError } from '../../../src/errors/app-error.js';

const message = (deliveryCount: number) => ({ info: { deliveryCount } }) as unknown as JsMsg;

describe('failureSettlement', () => {
  it('sends a permanent error to the DLQ at once, with its reason', () => {
    const settlement = failureSettlement(message(1), new AppError('permanent_failure', 'no such node'), DEFAULT_FAILURE_POLICY);
    expect(settlement).to.deep.equal({ kind: 'dead', reason: 'permanent_failure: no such node' });
  });

  it('comes back exactly when told to for rate limits, open breakers and deferrals', () => {
    for (const code of ['rate_limited', 'circuit_open', 'deferred'] as const) {
      const settlement = failureSettlement(message(3), new AppError(code, 'wait', { retryAfterSeconds: 42 }), DEFAULT_FAILURE_POLICY);
      expect(settlement).to.deep.include({ kind: 'retry', delayMs: 42_000 });
    }
  });

  it('backs off a fault within the policy’s cap, and dead-letters it on the last allowed delivery', () => {
    const early = failureSettlement(message(2), new Error('socket hang up'), DEFAULT_FAILURE_POLICY);
    expect(early.kind).to.equal('retry');
    if (early.kind === 'retry') expect(early.delayMs).to.be.within(250, DEFAULT_FAILURE_POLICY.redeliveryBackoff.maxMs);
    const last = failureSettlement(message(DEFAULT_FAILURE_POLICY.maxDeliver), new Error('socket hang up'), DEFAULT_FAILURE_POLICY);
    expect(last.kind).to.equal('dead');
    if (last.kind === 'dead') expect(last.reason).to.match(/^gave up after 20 deliveries: Error: socket hang up/);
  });

  it('never waits longer than the cap it is given (a dependency outage), however late the delivery', () => {
    const capped = failureSettlement(message(12), new AppError('dependency_failed', 'GitHub 502'), DEFAULT_FAILURE_POLICY, 1500);
    expect(capped).to.deep.include({ kind: 'retry' });
    if (capped.kind === 'retry') expect(capped.delayMs).to.be.at.most(1500);
    const hinted = failureSettlement(message(3), new AppError('circuit_open', 'open', { retryAfterSeconds: 30 }), DEFAULT_FAILURE_POLICY, 4000);
    expect(hinted).to.deep.include({ kind: 'retry', delayMs: 4000 });
    const dead = failureSettlement(message(1), new AppError('permanent_failure', 'gone'), DEFAULT_FAILURE_POLICY, 10);
    expect(dead.kind, 'a cap never rescues a permanent error').to.equal('dead');
  });
});
