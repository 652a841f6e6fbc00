import { expect } from 'chai';
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { extractTraceContext, injectTraceHeaders } from '../../../src/observability/trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('trace-context', () => {
  before(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  after(() => propagation.disable());

  describe('injectTraceHeaders', () => {
    it('writes the W3C traceparent of the given context into NATS headers', () => {
      const headers = natsHeaders();
      injectTraceHeaders(headers, trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }));
      expect(headers.get('traceparent')).to.equal(`00-${TRACE_ID}-${SPAN_ID}-01`);
    });

    it('writes nothing outside a trace', () => {
      const headers = natsHeaders();
      injectTraceHeaders(headers, ROOT_CONTEXT);
      expect(headers.has('traceparent')).to.equal(false);
    });
  });

  describe('extractTraceContext', () => {
    it('reads back the trace a publisher injected, so the consumer’s span joins it', () => {
      const headers = natsHeaders();
      injectTraceHeaders(headers, trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED }));
      headers.set('tracestate', 'vendor=1');
      const remote = trace.getSpanContext(extractTraceContext(headers));
      expect(remote).to.deep.include({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
      expect(remote!.traceState?.get('vendor')).to.equal('1');
    });

    it('gives the active context for a message without headers or trace', () => {
      expect(extractTraceContext(undefined)).to.equal(context.active());
      expect(trace.getSpanContext(extractTraceContext(natsHeaders()))).to.equal(undefined);
    });
  });
});
