import { expect } from 'chai';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { storedMessage } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('trace context across HTTP, JetStream and the actor', function () {
  this.timeout(30_000);
  const exporter = new InMemorySpanExporter();
  let service: TestService;

  before(async () => {
    // What instrumentation.ts does in production, with spans kept in memory instead of exported.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    service = await startTestService();
  });
  after(async () => {
    await service.dispose();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the caller’s trace into the message headers, the actor span and its log lines', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await postWebhook(service.url, {
      event: 'issues',
      payload: examplePayload('issues', (p) => p.action === 'opened'),
      secret: TEST_SECRET,
      extraHeaders: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(answer.status).to.equal(202);

    const stored = await storedMessage(service.nats.nc, service.topology.streams.github, answer.body!.result.seq);
    expect(stored.header.get('traceparent')).to.match(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    await waitFor(async () => (await getDelivery(service.database.orm.em.fork(), answer.deliveryId))?.delivery.outcome === 'ignored');
    const spans = await waitFor(() => {
      const found = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      return found.some((span) => span.attributes['orchestrator.actor'] === 'other_events') ? found : undefined;
    });
    // Span names use the subject's template: the body digest would make one name per delivery.
    const subject = `${service.topology.subject('github.issues.opened')}.{digest}`;
    expect(spans.map((span) => span.name)).to.include.members(['POST /api/v1/webhooks/github', `publish ${subject}`, `process ${subject}`]);
    const producer = spans.find((span) => span.name === `publish ${subject}`)!;
    const consumer = spans.find((span) => span.name === `process ${subject}` && span.attributes['orchestrator.actor'] === 'other_events')!;
    expect(producer.kind).to.equal(SpanKind.PRODUCER);
    expect(consumer.kind).to.equal(SpanKind.CONSUMER);
    // The message carries the PRODUCER span's context: the consumer is its child, and links to it.
    expect(stored.header.get('traceparent')).to.equal(`00-${traceId}-${producer.spanContext().spanId}-01`);
    expect(consumer.parentSpanContext?.spanId).to.equal(producer.spanContext().spanId);
    expect(consumer.links.map((link) => link.context.spanId)).to.deep.equal([producer.spanContext().spanId]);
    expect(consumer.attributes).to.include({ 'messaging.system': 'nats', 'messaging.operation.type': 'process', 'messaging.destination.template': subject, 'messaging.destination.name': stored.subject });

    const actorLines = service.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.actor === 'other_events' && record.delivery_id === answer.deliveryId);
    expect(actorLines.length).to.be.greaterThan(0);
    for (const record of actorLines) expect(record.trace_id).to.equal(traceId);
  });
});
