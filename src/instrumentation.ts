/**
 * OpenTelemetry set-up, loaded before anything else with `node --import`, so the HTTP, fetch
 * and PostgreSQL modules are instrumented when main imports them. Configured by OpenTelemetry's
 * own variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, OTEL_SDK_DISABLED).
 * Without an OTLP endpoint, traces are still made and propagated (trace ids in logs and message
 * headers) but not exported, so a developer machine does not log export errors.
 */
const env = process.env;
const disabled = env.OTEL_SDK_DISABLED === 'true';
const exporting = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);

// Loaded only when enabled: the SDK and its instrumentations cost ~20 MB even when unused.
if (!disabled) {
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-undici'),
      import('@opentelemetry/instrumentation-pg'),
    ]);
  env.OTEL_SERVICE_NAME ??= 'webhook-orchestrator';
  // Metrics are Prometheus-scraped; logs are bunyan on stdout. OTel exports traces only.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  const sdk = new NodeSDK({
    ...(exporting ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [] }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces that matter.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      new UndiciInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  const shutdown = () => {
    void sdk.shutdown().catch(() => undefined);
  };
  process.once('beforeExit', shutdown);
}
