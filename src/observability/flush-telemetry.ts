import { trace } from '@opentelemetry/api';

/**
 * Exports spans still buffered before the process exits. The SDK is started by
 * instrumentation.ts; this reaches it through the API's global provider, so main needs no handle.
 */
export async function flushTelemetry(timeoutMs = 2000): Promise<void> {
  const proxy = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = (proxy.getDelegate?.() ?? proxy) as { forceFlush?: () => Promise<void> };
  if (typeof provider.forceFlush !== 'function') return;
  await Promise.race([provider.forceFlush(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]).catch(
    () => undefined,
  );
}
