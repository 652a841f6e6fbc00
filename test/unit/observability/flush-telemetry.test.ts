import { expect } from 'chai';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { flushTelemetry } from '../../../src/observability/flush-telemetry.js';
import { registerTestTracerProvider } from '../../helpers/test-tracer-provider.js';

describe('flushTelemetry', () => {
  let unregister: (() => void) | undefined;
  afterEach(() => {
    unregister?.();
    unregister = undefined;
  });

  it('exports the spans still buffered', async () => {
    const exporter = new InMemorySpanExporter();
    // A batch processor holds spans until its delay passes or it is flushed.
    unregister = registerTestTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 3_600_000 })] }),
    );
    trace.getTracer('test').startSpan('buffered').end();
    expect(exporter.getFinishedSpans()).to.have.length(0);
    await flushTelemetry();
    expect(exporter.getFinishedSpans().map((span) => span.name)).to.deep.equal(['buffered']);
  });

  it('resolves without a tracer provider set up, as in tests and tools', async () => {
    expect(trace.getTracerProvider().getTracer('x').startSpan('noop').isRecording()).to.equal(false);
    expect(await flushTelemetry()).to.equal(undefined);
  });

  it('resolves after the timeout when the exporter hangs, so shutdown goes on', async () => {
    const hanging: SpanProcessor = {
      forceFlush: () => new Promise(() => undefined),
      onStart: () => undefined,
      onEnd: () => undefined,
      shutdown: async () => undefined,
    };
    unregister = registerTestTracerProvider(new BasicTracerProvider({ spanProcessors: [hanging] }));
    expect(await flushTelemetry(20)).to.equal(undefined);
  });
});
