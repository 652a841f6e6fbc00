import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import { webhookSubject } from '../contracts/subjects.js';
import type { Topology } from '../contracts/topology.js';
import { AppError } from '../errors/app-error.js';
import { withPublishSpan } from '../observability/messaging-spans.js';
import type { PayloadStore } from './payload-store.js';
import { createPerTurnBatcher } from './per-turn-batcher.js';

/** One accepted delivery, as ingress hands it to the bus. */
export interface WebhookPublication {
  deliveryId: string;
  event: string;
  action: string | undefined;
  /** The JSON payload bytes (for form-encoded requests, the `payload` field's bytes). */
  payload: Uint8Array;
  hookId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
}

export interface PublishResult {
  stream: string;
  seq: number;
  duplicate: boolean;
  claimCheck: boolean;
}

export type WebhookPublisher = (publication: WebhookPublication) => Promise<PublishResult>;

export interface WebhookPublisherOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  topology: Topology;
  payloadStore: PayloadStore;
  /** Bound on waiting for the PubAck; GitHub gives up after 10 s, so stay well under. */
  timeoutMs: number;
  /** Seconds a 503 asks the sender to wait. */
  retryAfterSeconds?: number;
}

// Room for headers and protocol framing inside the server's max_payload.
const HEADER_ALLOWANCE = 8 * 1024;

/**
 * Publishes a delivery to `github.<event>.<action>` with Nats-Msg-Id = delivery id and resolves
 * only once JetStream has stored it (the PubAck). Anything short of a PubAck is `unavailable`:
 * the caller must not tell GitHub the event was accepted.
 */
export function createWebhookPublisher(options: WebhookPublisherOptions): WebhookPublisher {
  const { nc, js, topology, payloadStore, timeoutMs } = options;
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  const inThisTurn = createPerTurnBatcher();
  return async (publication) => {
    const headers = natsHeaders();
    headers.set(GITHUB_HEADERS.delivery, publication.deliveryId);
    headers.set(GITHUB_HEADERS.event, publication.event);
    if (publication.hookId) headers.set(GITHUB_HEADERS.hookId, publication.hookId);
    if (publication.targetType) headers.set(GITHUB_HEADERS.targetType, publication.targetType);
    if (publication.targetId) headers.set(GITHUB_HEADERS.targetId, publication.targetId);
    if (publication.action) headers.set(ORCHESTRATOR_HEADERS.action, publication.action);
    headers.set(ORCHESTRATOR_HEADERS.receivedAt, new Date().toISOString());
    const subject = topology.subject(webhookSubject(publication.event, publication.action));
    const span = { subject, headers, messageId: publication.deliveryId, bodySize: publication.payload.byteLength };

    try {
      return await withPublishSpan(span, async () => {
        let body = publication.payload;
        const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
        const claimCheck = body.byteLength + HEADER_ALLOWANCE > maxPayload;
        if (claimCheck) {
          const stored = await withTimeout(payloadStore.put(publication.deliveryId, body), timeoutMs * 3);
          headers.set(ORCHESTRATOR_HEADERS.payloadRef, stored.ref);
          headers.set(ORCHESTRATOR_HEADERS.payloadSha256, stored.sha256);
          body = new Uint8Array(0);
        }
        const ack = await inThisTurn(() => js.publish(subject, body, { msgID: publication.deliveryId, headers, timeout: timeoutMs }));
        return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate, claimCheck };
      });
    } catch (error) {
      throw new AppError('unavailable', 'the event queue is unavailable; the delivery was not accepted', {
        cause: error,
        retryAfterSeconds,
      });
    }
  };
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
