import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

/** The OTLP/HTTP encodings this service can export traces in (OTEL_EXPORTER_OTLP_PROTOCOL). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The specification's default for OTLP exporters when no protocol is set. */
export const DEFAULT_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

/** A protocol this service cannot export in (`grpc`, a typo): startup refuses it with this message. */
export class UnsupportedOtlpProtocolError extends Error {
  override readonly name = 'UnsupportedOtlpProtocolError';
  constructor(readonly protocol: string) {
    super(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; use ${OTLP_PROTOCOLS.join(' or ')}`);
  }
}

export function isOtlpProtocol(value: string): value is OtlpProtocol {
  return (OTLP_PROTOCOLS as readonly string[]).includes(value);
}

/**
 * The OTLP/HTTP trace exporter for `protocol`: protobuf bodies (`application/x-protobuf`, what
 * Jaeger and the Collector expect by default) or JSON. Endpoint, headers and timeout come from
 * the exporters' own OTEL_EXPORTER_OTLP_* variables. Each exporter package loads only when chosen.
 */
export async function createTraceExporter(protocol: string): Promise<SpanExporter> {
  if (!isOtlpProtocol(protocol)) throw new UnsupportedOtlpProtocolError(protocol);
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter();
}
