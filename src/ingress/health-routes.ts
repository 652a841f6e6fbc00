import Router from '@koa/router';
import type { CheckResult, HealthCheck } from '../observability/health-check.js';

export interface HealthRoutesOptions {
  checks: readonly HealthCheck[];
  /** Readiness for Kubernetes: NATS connected, streams present, not shutting down. */
  ready(): Promise<{ ready: boolean; reasons: string[] }>;
  startedAt: number;
  /** Bound on any one check, so a hung dependency cannot hang the probe. */
  checkTimeoutMs?: number;
}

/** GET /health, /health/live and /health/ready. */
export function createHealthRoutes(options: HealthRoutesOptions): Router {
  const router = new Router();
  const timeoutMs = options.checkTimeoutMs ?? 2000;

  router.get('/health', async (ctx) => {
    const entries = await Promise.all(
      options.checks.map(async (check) => [check.name, await runCheck(check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    const criticalDown = options.checks.some((check) => check.critical && checks[check.name]?.status === 'down');
    const anyDegraded = entries.some(([, result]) => result.status === 'down' || result.status === 'degraded');
    const status = criticalDown ? 'unhealthy' : anyDegraded ? 'degraded' : 'healthy';
    ctx.status = status === 'unhealthy' ? 503 : 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status, checks, uptime: Math.round((Date.now() - options.startedAt) / 1000) };
  });

  router.get('/health/live', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'alive' };
  });

  router.get('/health/ready', async (ctx) => {
    const { ready, reasons } = await options.ready().catch((error: unknown) => ({
      ready: false,
      reasons: [error instanceof Error ? error.message : String(error)],
    }));
    ctx.status = ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = ready ? { status: 'ready' } : { status: 'not_ready', reasons };
  });

  return router;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(check.check()),
      new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ status: 'down', error: `no answer within ${timeoutMs} ms` }), timeoutMs);
      }),
    ]);
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
