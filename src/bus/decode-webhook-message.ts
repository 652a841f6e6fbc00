import type { JsMsg } from '@nats-io/jetstream';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';
import { AppError } from '../errors/app-error.js';
import type { PayloadStore } from './payload-store.js';
import type { StoredPayloadReader } from './stored-payload-reader.js';

/** Set by the server on messages of a `headers_only` consumer: the size of the data it left out. */
const MESSAGE_SIZE_HEADER = 'Nats-Msg-Size';

function isHeadersOnly(message: JsMsg): boolean {
  return message.data.length === 0 && message.headers?.has(MESSAGE_SIZE_HEADER) === true;
}

function readStoredPayload(message: JsMsg, readStored: StoredPayloadReader | undefined): Promise<Uint8Array> {
  if (!readStored) throw new AppError('permanent_failure', `message ${message.seq} came without its data and there is no way to read it back`);
  return readStored(message.seq);
}

/**
 * Turns a GITHUB stream message into an envelope, reading a claim-checked payload back from the
 * object store transparently. A message that cannot be decoded is a permanent failure: retrying
 * the same bytes cannot fix it, so it goes to the DLQ with the reason.
 */
export async function decodeWebhookMessage(
  message: JsMsg,
  payloadStore: PayloadStore,
  options: { readPayload?: boolean; readStored?: StoredPayloadReader } = {},
): Promise<WebhookEnvelope> {
  const headers = message.headers;
  const header = (name: string): string | undefined => headers?.get(name) || undefined;
  const deliveryId = header(GITHUB_HEADERS.delivery);
  const event = header(GITHUB_HEADERS.event);
  if (!deliveryId || !event) {
    throw new AppError('permanent_failure', `message ${message.seq} lacks the ${GITHUB_HEADERS.delivery} or ${GITHUB_HEADERS.event} header`);
  }
  const receivedAt = header(ORCHESTRATOR_HEADERS.receivedAt);
  const envelope: WebhookEnvelope = {
    deliveryId,
    event,
    action: header(ORCHESTRATOR_HEADERS.action),
    payload: {},
    hookId: header(GITHUB_HEADERS.hookId),
    targetType: header(GITHUB_HEADERS.targetType),
    targetId: header(GITHUB_HEADERS.targetId),
    receivedAt: receivedAt ? new Date(receivedAt) : message.time,
    streamSeq: message.seq,
    replayOf: header(ORCHESTRATOR_HEADERS.replayOf),
  };
  if (options.readPayload === false) return envelope;
  const ref = header(ORCHESTRATOR_HEADERS.payloadRef);
  const bytes = ref
    ? await payloadStore.get(ref, header(ORCHESTRATOR_HEADERS.payloadSha256))
    : isHeadersOnly(message)
      ? await readStoredPayload(message, options.readStored)
      : message.data;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new AppError('permanent_failure', `message ${message.seq} does not hold a JSON payload`, { cause: error });
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new AppError('permanent_failure', `message ${message.seq} does not hold a JSON object`);
  }
  return { ...envelope, payload: payload as Record<string, unknown> };
}
