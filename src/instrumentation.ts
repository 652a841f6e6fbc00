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
 * Nothing is exported, so a developer machine does not log export errors.
 */
import { AlwaysOffSampler, ParentBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTraceExporter, DEFAULT_OTLP_PROTOCOL, UnsupportedOtlpProtocolError } from './observability/create-trace-exporter.js';

const env = process.env;
const disabled = env.OTEL_SDK_DISABLED === 'true';
const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || DEFAULT_OTLP_PROTOCOL;

/** Keeps the tracer provider real (ids, propagation, sampling) while nothing is exported. */
const discardSpans: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

// Loaded only when enabled: the SDK and its instrumentations cost ~20 MB even when unused.
if (!disabled) {
  let traceExporter;
  try {
    traceExporter = exporting ? await createTraceExporter(protocol) : undefined;
  } catch (error) {
    if (!(error instanceof UnsupportedOtlpProtocolError)) throw error;
    process.stderr.write(`webhook-orchestrator: ${error.message}\n`);
    process.exit(78); // EX_CONFIG, as main.ts for any bad configuration
  }
  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  env.OTEL_SERVICE_NAME ??= 'webhook-orchestrator';
  // Metrics are Prometheus-scraped; logs are bunyan on stdout. OTel exports traces only.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    ...(traceExporter ? { traceExporter } : { spanProcessors: [discardSpans], sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }) }),
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
  sdk.start();
  const shutdown = () => {
    void sdk.shutdown().catch(() => undefined);
  };
  process.once('beforeExit', shutdown);
}
