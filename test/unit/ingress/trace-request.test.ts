import Koa from 'koa';
import { expect } from 'chai';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { traceRequest } from '../../../src/ingress/trace-request.js';
import { listen, type Listening } from '../../helpers/listen.js';
import { registerTestTracerProvider } from '../../helpers/test-tracer-provider.js';

describe('traceRequest', () => {
  const exporter = new InMemorySpanExporter();
  let server: Listening;
  let activeTraceInHandler: string | undefined;
  let unregister: () => void;

  before(async () => {
    // What instrumentation.ts sets up, with spans kept in memory.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    unregister = registerTestTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const app = new Koa();
    app.silent = true;
    app.use(traceRequest());
    app.use((ctx) => {
      activeTraceInHandler = trace.getActiveSpan()?.spanContext().traceId;
      ctx.status = ctx.path === '/broken' ? 503 : 202;
    });
    server = await listen(app.callback());
  });
  after(async () => {
    await server.close();
    unregister();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('continues the caller’s trace in one server span around the request', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${server.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-github-event': 'push', 'x-github-delivery': 'd-7' },
    });
    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).to.have.length(0);
    expect(span!.spanContext().traceId).to.equal(traceId);
    expect(span!.parentSpanContext?.spanId).to.equal('00f067aa0ba902b7');
    expect(span!.kind).to.equal(SpanKind.SERVER);
    expect(span!.name).to.equal('POST /api/v1/webhooks/github');
    expect(span!.attributes).to.deep.equal({
      'http.request.method': 'POST',
      'url.path': '/api/v1/webhooks/github',
      'github.event': 'push',
      'github.delivery': 'd-7',
      'http.response.status_code': 202,
    });
    expect(activeTraceInHandler).to.equal(traceId);
  });

  it('starts a new trace without a traceparent, and marks a server error', async () => {
    await fetch(`${server.url}/broken`);
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext).to.equal(undefined);
    expect(span!.attributes).to.not.have.property('github.event');
    expect(span!.attributes['http.response.status_code']).to.equal(503);
    expect(span!.status.code).to.equal(SpanStatusCode.ERROR);
  });
});
