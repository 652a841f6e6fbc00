import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import { webhookSubject } from '../contracts/subjects.js';
import type { Topology } from '../contracts/topology.js';
import { AppError } from '../errors/app-error.js';
import { withPublishSpan } from '../observability/messaging-spans.js';
import type { PayloadStore } from './payload-store.js';
import { createPerTurnBatcher } from './per-turn-batcher.js';
import type { ReadLastDelivery } from './read-last-delivery.js';

/** One accepted delivery, as ingress hands it to the bus. */
export interface WebhookPublication {
  deliveryId: string;
  event: string;
  action: string | undefined;
  /** The JSON payload bytes (for form-encoded requests, the `payload` field's bytes). */
  payload: Uint8Array;
  /** The body's HMAC-SHA256 (hex): the last token of the subject, one subject per distinct body. */
  digest: string;
  hookId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
}

export type PublishResult =
  /** JetStream holds the delivery (`duplicate`: it already did, under this Nats-Msg-Id). */
  | { kind: 'stored'; stream: string; seq: number; duplicate: boolean; claimCheck: boolean }
  /** Refused because `subject` (this body's) holds a message after `expectLastSeq`; nothing stored. */
  | { kind: 'body_seen'; subject: string };

export interface PublishExpectation {
  /**
   * Store only if the body's subject holds no message after this sequence (0: none at all). The
   * server checks it and stores in one step, so of any number of publishers racing with one body,
   * exactly one gets it stored.
   */
  expectLastSeq?: number;
}

export type WebhookPublisher = (publication: WebhookPublication, expectation?: PublishExpectation) => Promise<PublishResult>;

export interface WebhookPublisherOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  topology: Topology;
  payloadStore: PayloadStore;
  /** Reads a subject's newest message: a claim-checked body is looked for before it is uploaded. */
  readLast: ReadLastDelivery;
  /** Bound on waiting for the PubAck; GitHub gives up after 10 s, so stay well under. */
  timeoutMs: number;
  /** Seconds a 503 asks the sender to wait. */
  retryAfterSeconds?: number;
}

// Room for headers and protocol framing inside the server's max_payload.
const HEADER_ALLOWANCE = 8 * 1024;

/**
 * Publishes a delivery to `github.<event>.<action>.<digest>` with Nats-Msg-Id = delivery id and
 * resolves only once JetStream has stored it (the PubAck), or has refused it because the body's
 * subject already holds a message (`body_seen`, only with an expectation). Anything else short of a
 * PubAck is `unavailable`: the caller must not tell GitHub the event was accepted.
 */
export function createWebhookPublisher(options: WebhookPublisherOptions): WebhookPublisher {
  const { nc, js, topology, payloadStore, readLast, timeoutMs } = options;
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  const inThisTurn = createPerTurnBatcher();
  return async (publication, expectation = {}) => {
    const { expectLastSeq } = expectation;
    const headers = natsHeaders();
    headers.set(GITHUB_HEADERS.delivery, publication.deliveryId);
    headers.set(GITHUB_HEADERS.event, publication.event);
    if (publication.hookId) headers.set(GITHUB_HEADERS.hookId, publication.hookId);
    if (publication.targetType) headers.set(GITHUB_HEADERS.targetType, publication.targetType);
    if (publication.targetId) headers.set(GITHUB_HEADERS.targetId, publication.targetId);
    if (publication.action) headers.set(ORCHESTRATOR_HEADERS.action, publication.action);
    headers.set(ORCHESTRATOR_HEADERS.receivedAt, new Date().toISOString());
    const subject = topology.subject(webhookSubject(publication.event, publication.action, publication.digest));
    const bodySeen: PublishResult = { kind: 'body_seen', subject };
    const span = { subject, headers, messageId: publication.deliveryId, bodySize: publication.payload.byteLength };

    try {
      return await withPublishSpan(span, async () => {
        let body = publication.payload;
        const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
        const claimCheck = body.byteLength + HEADER_ALLOWANCE > maxPayload;
        let ref: string | undefined;
        if (claimCheck) {
          // Up to 25 MiB are not uploaded for a body the stream already holds; one more round trip
          // is nothing beside the upload.
          if (expectLastSeq !== undefined && ((await readLast(subject))?.seq ?? 0) !== expectLastSeq) return bodySeen;
          const stored = await withTimeout(payloadStore.put(publication.deliveryId, body), timeoutMs * 3);
          ref = stored.ref;
          headers.set(ORCHESTRATOR_HEADERS.payloadRef, stored.ref);
          headers.set(ORCHESTRATOR_HEADERS.payloadSha256, stored.sha256);
          body = new Uint8Array(0);
        }
        const publishOptions = {
          msgID: publication.deliveryId,
          headers,
          timeout: timeoutMs,
          ...(expectLastSeq === undefined ? {} : { expect: { lastSubjectSequence: expectLastSeq } }),
        };
        try {
          const ack = await inThisTurn(() => js.publish(subject, body, publishOptions));
          return { kind: 'stored', stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate, claimCheck };
        } catch (error) {
          if (!wrongLastSequence(error)) throw error;
          // Lost a race with the same body under another id: its upload is ours alone, unless the
          // winner is this very delivery (same object name, same bytes). One left behind expires
          // with the bucket's TTL.
          if (ref !== undefined) {
            const winner = await readLast(subject).then((last) => last?.payloadRef ?? 'none', () => undefined);
            if (winner !== undefined && winner !== ref) await payloadStore.delete(ref).catch(() => undefined);
          }
          return bodySeen;
        }
      });
    } catch (error) {
      throw new AppError('unavailable', 'the event queue is unavailable; the delivery was not accepted', {
        cause: error,
        retryAfterSeconds,
      });
    }
  };
}

/** JetStream's refusal of a publish whose expected last sequence (here: of the subject) did not hold. */
function wrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
