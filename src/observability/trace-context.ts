import { context, propagation, type Context } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Writes the active W3C trace context (traceparent, tracestate) into NATS message headers. */
export function injectTraceHeaders(target: MsgHdrs, from: Context = context.active()): void {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  for (const [key, value] of Object.entries(carrier)) target.set(key, value);
}

/**
 * The trace context carried by a message, on top of `base` (the active context by default), to
 * parent the consumer's span on the publisher's.
 */
export function extractTraceContext(headers: MsgHdrs | undefined, base: Context = context.active()): Context {
  if (!headers) return base;
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = headers.get(key);
    if (value) carrier[key] = value;
  }
  return propagation.extract(base, carrier);
}
