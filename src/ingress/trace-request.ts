import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Next } from 'koa';

// Looked up per request, not once per module: the provider registered at that moment is the one used.
const tracer = () => trace.getTracer('webhook-orchestrator.ingress');
const UNTRACED_PATH = /^\/(health|metrics)(\/|$)/;

/**
 * One span per request, parented on the HTTP instrumentation's span when it is loaded, or on the
 * caller's W3C `traceparent` otherwise; everything the request does (publishing included, which
 * copies the context into message headers) happens inside it.
 */
export function traceRequest() {
  return async function tracedRequest(ctx: Context, next: Next): Promise<void> {
    // Probes and scrapes would drown the traces that matter (instrumentation.ts ignores them too).
    if (UNTRACED_PATH.test(ctx.path)) return next();
    const parent = trace.getActiveSpan() ? context.active() : propagation.extract(context.active(), ctx.headers);
    const event = ctx.get('x-github-event');
    await tracer().startActiveSpan(
      `${ctx.method} ${ctx.path}`,
      {
        kind: trace.getActiveSpan() ? SpanKind.INTERNAL : SpanKind.SERVER,
        attributes: {
          'http.request.method': ctx.method,
          'url.path': ctx.path,
          ...(event ? { 'github.event': event, 'github.delivery': ctx.get('x-github-delivery') } : {}),
        },
      },
      parent,
      async (span) => {
        try {
          await next();
          span.setAttribute('http.response.status_code', ctx.status);
          if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  };
}
