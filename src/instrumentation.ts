/**
 * OpenTelemetry set-up, loaded before anything else with `node --import`, so the HTTP, fetch
 * and PostgreSQL modules are instrumented when main imports them. Configured by OpenTelemetry's
 * own variables: OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT),
 * OTEL_EXPORTER_OTLP_PROTOCOL (or _TRACES_PROTOCOL: http/protobuf, the default, or http/json),
 * OTEL_TRACES_SAMPLER, OTEL_SDK_DISABLED.
 * Without an OTLP endpoint, a real tracer provider still gives every delivery a trace id (in log
 * lines and `traceparent` headers on messages), but its spans are not recorded: a root sampler that
 * records nothing keeps the ids and the propagation while skipping the per-span work (attributes,
 * events, timing, processors) that would be thrown away — about a fifth of a delivery's CPU.
 * Nothing is exported, so a developer machine does not log export errors, and the library
 * instrumentations (HTTP server, fetch, pg) are not loaded: they exist to make spans for export.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { createTraceExporter, DEFAULT_OTLP_PROTOCOL, UnsupportedOtlpProtocolError } from './observability/create-trace-exporter.js';

const env = process.env;
const disabled = env.OTEL_SDK_DISABLED === 'true';
const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || DEFAULT_OTLP_PROTOCOL;

// Loaded only when enabled. Not @opentelemetry/sdk-node: it loads every exporter, the metrics and
// logs SDKs and a configuration-file validator (~15 MB of heap) for a service that exports traces only.
if (!disabled) {
  let traceExporter;
  try {
    traceExporter = exporting ? await createTraceExporter(protocol) : undefined;
  } catch (error) {
    if (!(error instanceof UnsupportedOtlpProtocolError)) throw error;
    process.stderr.write(`webhook-orchestrator: ${error.message}\n`);
    process.exit(78); // EX_CONFIG, as main.ts for any bad configuration
  }
  const [api, tracing, { AsyncLocalStorageContextManager }, core, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  env.OTEL_SERVICE_NAME ??= 'webhook-orchestrator';
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (envDetector), with the host and process beside them.
  const resource = resources.defaultResource().merge(
    resources.detectResources({ detectors: [resources.envDetector, resources.hostDetector, resources.processDetector] }),
  );
  // The sampler comes from OTEL_TRACES_SAMPLER / _ARG (the provider reads them) unless nothing is exported.
  const provider = new tracing.BasicTracerProvider({
    resource,
    ...(traceExporter
      ? { spanProcessors: [new tracing.BatchSpanProcessor(traceExporter)] }
      : // No processor: the provider stays real (ids, propagation, sampling) and exports nothing.
        { spanProcessors: [], sampler: new tracing.ParentBasedSampler({ root: new tracing.AlwaysOffSampler() }) }),
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(
    new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] }),
  );
  api.trace.setGlobalTracerProvider(provider);
  // The HTTP, fetch and PostgreSQL instrumentations make spans for the exporter: with nothing
  // exported they would only wrap every request, query and call for spans nobody sees. The ids and
  // the propagation do not need them: the webhook route starts its own span from `traceparent`
  // (ingress/trace-request.ts), and messages carry it on (bus/).
  if (traceExporter) await registerLibraryInstrumentations(provider);
  const shutdown = () => {
    void provider.shutdown().catch(() => undefined);
  };
  process.once('beforeExit', shutdown);
}

async function registerLibraryInstrumentations(tracerProvider: TracerProvider): Promise<void> {
  const [{ registerInstrumentations }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      // Database and outbound calls are traced as part of a delivery, a message or a request:
      // start-up (connect, migrations) and background polling make no root traces of their own.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
}
