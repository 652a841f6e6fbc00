import { expect } from 'chai';
import { createApp } from '../../../src/ingress/create-app.js';
import { createHealthRoutes, type HealthRoutesOptions } from '../../../src/ingress/health-routes.js';
import type { HealthCheck } from '../../../src/observability/health-check.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { silentLogger } from '../../helpers/test-database.js';
import { listen, type Listening } from '../../helpers/listen.js';

const check = (name: string, critical: boolean, run: HealthCheck['check']): HealthCheck => ({ name, critical, check: run });

describe('createHealthRoutes', () => {
  let server: Listening | undefined;
  afterEach(() => server?.close());

  async function get(path: string, options: Partial<HealthRoutesOptions>) {
    const router = createHealthRoutes({
      checks: [],
      ready: async () => ({ ready: true, reasons: [] }),
      startedAt: Date.now() - 42_000,
      ...options,
    });
    server = await listen(createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [router] }).callback());
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as Record<string, any> };
  }

  it('is healthy when every check is up, with each check’s details and the uptime', async () => {
    const answer = await get('/health', { checks: [check('nats', true, () => ({ status: 'up', server: 'n1' })), check('github', false, async () => ({ status: 'up' }))] });
    expect(answer).to.deep.include({ status: 200, cacheControl: 'no-store' });
    expect(answer.body.status).to.equal('healthy');
    expect(answer.body.checks).to.deep.equal({ nats: { status: 'up', server: 'n1' }, github: { status: 'up' } });
    expect(answer.body.uptime).to.be.within(41, 60);
  });

  it('is degraded, still 200, when a non-critical check is down or degraded', async () => {
    const down = await get('/health', { checks: [check('nats', true, () => ({ status: 'up' })), check('codegen', false, () => ({ status: 'down' }))] });
    expect([down.status, down.body.status]).to.deep.equal([200, 'degraded']);
    await server!.close();
    const degraded = await get('/health', { checks: [check('github', false, () => ({ status: 'degraded' }))] });
    expect(degraded.body.status).to.equal('degraded');
  });

  it('does not count a dependency that is not configured against the service', async () => {
    const answer = await get('/health', { checks: [check('codegen', false, () => ({ status: 'not_configured' }))] });
    expect(answer.body.status).to.equal('healthy');
  });

  it('is unhealthy with 503 when a critical check is down', async () => {
    const answer = await get('/health', { checks: [check('postgres', true, () => ({ status: 'down' }))] });
    expect([answer.status, answer.body.status]).to.deep.equal([503, 'unhealthy']);
  });

  it('reports a check that throws or hangs as down instead of failing the probe', async () => {
    const answer = await get('/health', {
      checkTimeoutMs: 50,
      checks: [
        check('postgres', true, () => {
          throw new Error('pool closed');
        }),
        check('codegen', false, () => new Promise(() => undefined)),
      ],
    });
    expect(answer.status).to.equal(503);
    expect(answer.body.checks).to.deep.equal({
      postgres: { status: 'down', error: 'pool closed' },
      codegen: { status: 'down', error: 'no answer within 50 ms' },
    });
  });

  it('answers liveness without running any check', async () => {
    let ran = false;
    const answer = await get('/health/live', { checks: [check('x', true, () => ((ran = true), { status: 'down' }))] });
    expect(answer).to.deep.include({ status: 200, body: { status: 'alive' }, cacheControl: 'no-store' });
    expect(ran).to.equal(false);
  });

  it('answers readiness from the ready callback, with its reasons when not ready', async () => {
    expect(await get('/health/ready', {})).to.deep.include({ status: 200, body: { status: 'ready' } });
    await server!.close();
    const notReady = await get('/health/ready', { ready: async () => ({ ready: false, reasons: ['shutting down'] }) });
    expect(notReady).to.deep.include({ status: 503, body: { status: 'not_ready', reasons: ['shutting down'] } });
  });

  it('is not ready when the ready callback fails, saying why', async () => {
    const answer = await get('/health/ready', { ready: () => Promise.reject(new Error('stream GITHUB missing')) });
    expect(answer).to.deep.include({ status: 503, body: { status: 'not_ready', reasons: ['stream GITHUB missing'] } });
  });
});
