import { expect } from 'chai';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { startProcessSpan, withProcessSpan, withPublishSpan } from '../../../src/observability/messaging-spans.js';

const message = (headers = natsHeaders()) => ({ subject: 'ns.github.push.none', headers, seq: 42, info: { consumer: 'actor_push', deliveryCount: 2 } as never });

describe('messaging spans', () => {
  const exporter = new InMemorySpanExporter();
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterEach(() => exporter.reset());
  after(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  describe('withPublishSpan', () => {
    it('wraps the publish in a PRODUCER span whose context it writes into the message headers', async () => {
      const headers = natsHeaders();
      const result = await withPublishSpan({ subject: 'ns.tasks.codegen_trigger', headers, messageId: 'task:1:0', bodySize: 17 }, async () => 'acked');
      expect(result).to.equal('acked');
      const [span] = exporter.getFinishedSpans();
      expect(span!.name).to.equal('publish ns.tasks.codegen_trigger');
      expect(span!.kind).to.equal(SpanKind.PRODUCER);
      expect(span!.attributes).to.include({
        'messaging.system': 'nats',
        'messaging.operation.name': 'publish',
        'messaging.operation.type': 'send',
        'messaging.destination.name': 'ns.tasks.codegen_trigger',
        'messaging.message.id': 'task:1:0',
        'messaging.message.body.size': 17,
      });
      expect(headers.get('traceparent')).to.equal(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    });

    it('ends the span as an error when the publish fails, and rethrows', async () => {
      const failure = new Error('no responders');
      const outcome = await withPublishSpan({ subject: 's', headers: natsHeaders() }, async () => {
        throw failure;
      }).catch((error: unknown) => error);
      expect(outcome).to.equal(failure);
      const [span] = exporter.getFinishedSpans();
      expect(span!.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'no responders' });
    });
  });

  describe('withProcessSpan and startProcessSpan', () => {
    it('parent the CONSUMER span on the producer in the headers, link to it, and make it active for the work', async () => {
      const headers = natsHeaders();
      await withPublishSpan({ subject: 'ns.github.push.none', headers }, async () => undefined);
      const [producer] = exporter.getFinishedSpans();
      let active: string | undefined;
      await withProcessSpan(message(headers), async () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
      }, { 'orchestrator.actor': 'push' });
      const consumer = exporter.getFinishedSpans()[1]!;
      expect(consumer.name).to.equal('process ns.github.push.none');
      expect(consumer.kind).to.equal(SpanKind.CONSUMER);
      expect(consumer.spanContext().traceId).to.equal(producer!.spanContext().traceId);
      expect(consumer.parentSpanContext?.spanId).to.equal(producer!.spanContext().spanId);
      expect(consumer.links.map((link) => link.context.spanId)).to.deep.equal([producer!.spanContext().spanId]);
      expect(active).to.equal(consumer.spanContext().spanId);
      expect(consumer.attributes).to.include({
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': 'actor_push',
        'messaging.message.id': '42',
        'messaging.nats.delivery_count': 2,
        'orchestrator.actor': 'push',
      });
    });

    it('start a new trace for a message without traceparent, whatever span is active around the pull', async () => {
      const outer = trace.getTracer('test').startSpan('pull loop');
      const span = context.with(trace.setSpan(context.active(), outer), () => startProcessSpan(message()));
      span.end();
      outer.end();
      const consumer = exporter.getFinishedSpans().find((candidate) => candidate.name.startsWith('process'))!;
      expect(consumer.parentSpanContext).to.equal(undefined);
      expect(consumer.links).to.deep.equal([]);
      expect(consumer.spanContext().traceId).to.not.equal(outer.spanContext().traceId);
    });
  });
});
