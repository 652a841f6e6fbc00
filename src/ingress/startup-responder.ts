import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of {@link createStartupResponder}. */
export interface StartupResponderOptions {
  /** Why the service is not ready yet (one line per dependency still missing). */
  reasons(): string[];
  startedAt: number;
}

/**
 * What the HTTP listener answers while NATS and PostgreSQL are still being reached: `/health/live`
 * 200 (the process is alive and trying), `/health/ready` and `/health` 503 with the reasons, and
 * every other request 503 `unavailable` with Retry-After — a webhook is not accepted before it can
 * be made durable. Replaced by the full application once everything is up.
 */
export function createStartupResponder(options: StartupResponderOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const requestId = pickRequestId(request);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-request-id': requestId,
        ...headers,
      });
      response.end(JSON.stringify(body));
    };
    // The body is not needed: drain it so the connection can be reused or closed cleanly.
    request.resume();
    const reasons = options.reasons();
    if (path === '/health/live') return send(200, { status: 'alive', starting: true });
    if (path === '/health/ready') return send(503, { status: 'not_ready', reasons });
    if (path === '/health') {
      return send(503, {
        status: 'unhealthy',
        checks: { starting: { status: 'down', reasons } },
        uptime: Math.round((Date.now() - options.startedAt) / 1000),
      });
    }
    send(
      503,
      { error: { code: 'unavailable', message: `starting: ${reasons.join('; ') || 'not ready yet'}`, correlation_id: requestId } },
      { 'retry-after': '5' },
    );
  };
}

function pickRequestId(request: IncomingMessage): string {
  const given = request.headers['x-github-delivery'] ?? request.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}
