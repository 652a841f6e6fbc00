import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { expect } from 'chai';
import { connectNats } from '../../../src/bus/connect-nats.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { createServiceShutdown } from '../../../src/service/service-shutdown.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { createTestDatabase, silentLogger } from '../../helpers/test-database.js';
import { NATS_URL } from '../../helpers/test-nats.js';

describe('createServiceShutdown', function () {
  this.timeout(30_000);

  /** A real server behind a shutdown gate whose one route takes `ms`, NATS and a test database, and the order things stop in. */
  async function service(requestMs: number) {
    const gate = createShutdownGate();
    const app = new Koa();
    app.use(gate.middleware());
    const order: string[] = [];
    app.use(async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, requestMs));
      ctx.body = 'done';
      order.push('request finished');
    });
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const nats = await connectNats({ servers: [NATS_URL], logger: silentLogger() });
    const db = await createTestDatabase();
    const budgets: number[] = [];
    const { logger, records } = captureLogger();
    const close = createServiceShutdown({
      server,
      shutdownGate: gate,
      actors: [{ stop: async (ms) => void (budgets.push(ms), order.push('actor stopped')) }],
      background: [() => void order.push('recovery stopped'), () => void order.push('watchers stopped')],
      nats,
      database: db.database,
      logger,
      timeoutMs: 5000,
    });
    return { url, server, nats, db, close, order, budgets, records };
  }

  it('lets the request in flight finish, stops the actors within the budget, then background work, NATS and the database, in that order', async () => {
    const s = await service(300);
    try {
      const inFlight = fetch(`${s.url}/slow`).then((response) => response.text());
      await new Promise((resolve) => setTimeout(resolve, 50));
      await s.close();
      expect(await inFlight).to.equal('done');
      expect(s.order).to.deep.equal(['actor stopped', 'request finished', 'recovery stopped', 'watchers stopped']);
      expect(s.budgets[0]).to.be.within(3000, 4000);
      expect(s.nats.nc.isClosed()).to.equal(true);
      expect(await s.db.database.ping(500)).to.equal(false);
      expect(s.server.listening).to.equal(false);
      expect(s.records().map((record) => record.msg)).to.deep.equal(['shutting down: no new requests', 'shut down']);
    } finally {
      await s.db.close();
    }
  });

  it('refuses new connections once closing', async () => {
    const s = await service(10);
    try {
      await s.close();
      const error = await fetch(`${s.url}/x`).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(TypeError);
    } finally {
      await s.db.close();
    }
  });

  it('runs once: a second call returns the first one\'s promise', async () => {
    const s = await service(10);
    try {
      const first = s.close();
      expect(s.close()).to.equal(first);
      await first;
      expect(s.order.filter((step) => step === 'actor stopped')).to.have.length(1);
    } finally {
      await s.db.close();
    }
  });
});
