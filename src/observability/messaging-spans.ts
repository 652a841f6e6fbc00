import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { subjectTemplate } from '../contracts/subjects.js';
import { extractTraceContext, injectTraceHeaders } from './trace-context.js';

// Looked up per span, not once per module: the provider registered at that moment is the one used.
const tracer = () => trace.getTracer('webhook-orchestrator.messaging');

/**
 * Attribute names of OpenTelemetry's messaging semantic conventions. They are still "incubating"
 * in @opentelemetry/semantic-conventions, whose guidance is to copy such names rather than import them.
 */
const ATTR = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destination: 'messaging.destination.name',
  destinationTemplate: 'messaging.destination.template',
  messageId: 'messaging.message.id',
  bodySize: 'messaging.message.body.size',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryCount: 'messaging.nats.delivery_count',
  streamSequence: 'messaging.nats.stream_sequence',
} as const;

export interface PublishSpanOptions {
  /** The subject published to (the destination). */
  subject: string;
  /** The outgoing message's headers: the PRODUCER span's `traceparent` is written into them. */
  headers: MsgHdrs;
  /** Nats-Msg-Id, when the message has one. */
  messageId?: string;
  bodySize?: number;
  attributes?: Attributes;
}

/**
 * Runs `publish` inside a PRODUCER span `publish <subject>` (messaging semantic conventions) and
 * writes that span's context into the message headers first, so the consumer's `process` span
 * continues the same trace. The span ends when `publish` settles (after the PubAck), as an error
 * if it throws.
 */
export function withPublishSpan<T>(options: PublishSpanOptions, publish: (span: Span) => Promise<T>): Promise<T> {
  const attributes: Attributes = {
    [ATTR.system]: 'nats',
    [ATTR.operationName]: 'publish',
    [ATTR.operationType]: 'send',
    ...destination(options.subject),
    ...(options.messageId === undefined ? {} : { [ATTR.messageId]: options.messageId }),
    ...(options.bodySize === undefined ? {} : { [ATTR.bodySize]: options.bodySize }),
    ...options.attributes,
  };
  return tracer().startActiveSpan(`publish ${subjectTemplate(options.subject)}`, { kind: SpanKind.PRODUCER, attributes }, (span) => {
    injectTraceHeaders(options.headers);
    return settle(span, () => publish(span));
  });
}

/** What a CONSUMER span reads from a JetStream message. */
export type ConsumedMessage = Pick<JsMsg, 'subject' | 'headers' | 'info' | 'seq'>;

/**
 * Starts (does not activate) the CONSUMER span `process <subject>` of a JetStream message, for
 * callers that end it themselves (a batch settles each message on its own): parented on the
 * `traceparent` its publisher wrote (one trace from the webhook to the last effect) and linked to
 * it, as the conventions ask of a creation context. A message without one starts a new trace; the
 * ambient context of the pull loop is never inherited. `processContext(span)` makes it active.
 */
export function startProcessSpan(message: ConsumedMessage, attributes: Attributes = {}): Span {
  const parent = extractTraceContext(message.headers, ROOT_CONTEXT);
  const creation = trace.getSpanContext(parent);
  const links: Link[] = creation ? [{ context: creation }] : [];
  const messageId = message.headers?.get('Nats-Msg-Id');
  const spanAttributes: Attributes = {
    [ATTR.system]: 'nats',
    [ATTR.operationName]: 'process',
    [ATTR.operationType]: 'process',
    ...destination(message.subject),
    [ATTR.consumerGroup]: message.info.consumer,
    [ATTR.messageId]: messageId || String(message.seq),
    [ATTR.streamSequence]: message.seq,
    [ATTR.deliveryCount]: message.info.deliveryCount,
    ...attributes,
  };
  return tracer().startSpan(`process ${subjectTemplate(message.subject)}`, { kind: SpanKind.CONSUMER, links, attributes: spanAttributes }, parent);
}

/** The subject, and the template span names use in its place when it names one body (a GITHUB subject). */
function destination(subject: string): Attributes {
  const template = subjectTemplate(subject);
  return template === subject ? { [ATTR.destination]: subject } : { [ATTR.destination]: subject, [ATTR.destinationTemplate]: template };
}

/** The context in which a message's work runs: its CONSUMER span active, nothing of the pull loop's. */
export function processContext(span: Span): Context {
  return trace.setSpan(ROOT_CONTEXT, span);
}

/**
 * Runs `process` with the message's CONSUMER span (startProcessSpan) active, so log lines, database
 * and outbound spans belong to it. The span ends when `process` settles, as an error if it throws;
 * the caller may also set an error status (a dead-lettered message).
 */
export function withProcessSpan<T>(message: ConsumedMessage, process: (span: Span) => Promise<T>, attributes: Attributes = {}): Promise<T> {
  const span = startProcessSpan(message, attributes);
  return context.with(processContext(span), () => settle(span, () => process(span)));
}

async function settle<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
