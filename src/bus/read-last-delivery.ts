import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../contracts/message-headers.js';

/** The newest message on one GITHUB subject, as far as replay protection needs it. */
export interface LastDelivery {
  /** Its X-GitHub-Delivery (operator replays and redrives keep the original's). */
  deliveryId: string | undefined;
  seq: number;
  /** When the stream stored it (the server's clock), ms since the epoch. */
  storedAtMs: number;
  /** Its claim check, when the payload lives in the object store. */
  payloadRef: string | undefined;
}

/** Reads the newest message on a wire subject of the GITHUB stream; null when the subject holds none. */
export type ReadLastDelivery = (subject: string) => Promise<LastDelivery | null>;

export interface LastDeliveryReaderOptions {
  nc: NatsConnection;
  /** The GITHUB stream's deployed (namespaced) name. */
  stream: string;
  /** Bound on the read, in ms (a webhook answer waits for it). */
  timeoutMs: number;
}

/**
 * One JetStream request (`last_by_subj`) per call. Ingress needs it only when the server refused a
 * publish because its body's subject already holds a message, and for the rare claim-checked body.
 */
export function createLastDeliveryReader(options: LastDeliveryReaderOptions): ReadLastDelivery {
  const { stream } = options;
  let jsm: Promise<JetStreamManager> | undefined;
  return async (subject) => {
    jsm ??= jetstreamManager(options.nc, { timeout: options.timeoutMs, checkAPI: false });
    try {
      const stored = await (await jsm).streams.getMessage(stream, { last_by_subj: subject });
      if (!stored) return null;
      return {
        deliveryId: stored.header.get(GITHUB_HEADERS.delivery) || stored.header.get('Nats-Msg-Id') || undefined,
        seq: stored.seq,
        storedAtMs: stored.time.getTime(),
        payloadRef: stored.header.get(ORCHESTRATOR_HEADERS.payloadRef) || undefined,
      };
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return null;
      throw error;
    }
  };
}
