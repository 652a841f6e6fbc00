import { trace, type Tracer, type TracerOptions, type TracerProvider } from '@opentelemetry/api';

/** A tracer provider as the SDK's: it may flush what its processors hold. */
export type FlushableTracerProvider = TracerProvider & { forceFlush?(): Promise<void> };

/**
 * Registers `provider` globally for one test file and returns the function that unregisters it.
 *
 * OpenTelemetry's API gives a module-level tracer (`trace.getTracer()` at import, as
 * src/ingress/trace-request.ts has) a proxy that keeps the provider registered first, even after
 * `trace.disable()`. Registering an SDK provider directly would therefore capture the spans of
 * every later test in the process (test/integration/observability/trace-propagation.test.ts among
 * them). What is registered here forwards each call: to `provider` until unregistered, then to
 * whichever provider is registered globally at the time of the call.
 */
export function registerTestTracerProvider(provider: FlushableTracerProvider): () => void {
  let target: () => FlushableTracerProvider = () => provider;
  const forwarding: FlushableTracerProvider = {
    getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
      const current = () => target().getTracer(name, version, options);
      return {
        startSpan: (...args: Parameters<Tracer['startSpan']>) => current().startSpan(...args),
        startActiveSpan: ((...args: unknown[]) => {
          const tracer = current();
          return Reflect.apply(tracer.startActiveSpan, tracer, args) as unknown;
        }) as Tracer['startActiveSpan'],
      };
    },
    forceFlush: async () => target().forceFlush?.(),
  };
  if (!trace.setGlobalTracerProvider(forwarding)) throw new Error('a tracer provider is already registered');
  return () => {
    target = () => trace.getTracerProvider();
    trace.disable();
  };
}
