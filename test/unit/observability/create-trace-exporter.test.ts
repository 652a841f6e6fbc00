import { expect } from 'chai';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  createTraceExporter,
  DEFAULT_OTLP_PROTOCOL,
  isOtlpProtocol,
  UnsupportedOtlpProtocolError,
} from '../../../src/observability/create-trace-exporter.js';

describe('createTraceExporter', () => {
  it('exports protobuf for http/protobuf, the default, and JSON for http/json', async () => {
    expect(DEFAULT_OTLP_PROTOCOL).to.equal('http/protobuf');
    const protobuf = await createTraceExporter('http/protobuf');
    const json = await createTraceExporter('http/json');
    try {
      expect(protobuf).to.be.instanceOf(ProtobufExporter);
      expect(json).to.be.instanceOf(HttpJsonExporter);
    } finally {
      await Promise.all([protobuf.shutdown(), json.shutdown()]);
    }
  });

  it('refuses any other protocol with a message naming the supported ones', async () => {
    for (const protocol of ['grpc', 'http/protobuff', '']) {
      const error = await createTraceExporter(protocol).then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedOtlpProtocolError);
      expect((error as Error).message).to.equal(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported; use http/protobuf or http/json`);
      expect(isOtlpProtocol(protocol)).to.equal(false);
    }
  });
});
