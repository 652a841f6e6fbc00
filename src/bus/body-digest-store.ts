import { JetStreamApiCodes, JetStreamApiError, jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createPerTurnBatcher } from './per-turn-batcher.js';

/** What {@link BodyDigestStore.claim} found. */
export type DigestClaim =
  /** The digest was new and is now ours; `revision` lets us take it back if the publish fails. */
  | { kind: 'claimed'; revision: number }
  /** The digest was already recorded, by the delivery `deliveryId` (which may be the caller's own). */
  | { kind: 'seen'; deliveryId: string };

/**
 * Digests of accepted webhook bodies, each mapped to the first delivery id that carried it, in a
 * JetStream key-value bucket every instance shares. Entries expire with the bucket's TTL.
 */
export interface BodyDigestStore {
  readonly bucket: string;
  /**
   * Records `digest → deliveryId` unless the digest is already there, atomically across instances
   * (KV `create` fails when the key exists, so of two racing deliveries exactly one claims it).
   * Rejects when the store does not answer; the caller decides how to degrade.
   */
  claim(digest: string, deliveryId: string): Promise<DigestClaim>;
  /** Removes a claim made at `revision` (only if nothing was written over it since). */
  release(digest: string, revision: number): Promise<void>;
}

export interface BodyDigestStoreOptions {
  nc: NatsConnection;
  bucket: string;
  /** How long a digest is kept, in ms. */
  ttlMs: number;
  /** Copies JetStream keeps of the bucket when it creates it (default 1). */
  replicas?: number;
  /** Bound on each KV request, in ms; the webhook answer waits for the claim. Default 1000. */
  timeoutMs?: number;
  /** After the bucket could not be opened, the next try waits this long (ms); claims fail fast meanwhile. Default 5000. */
  reopenAfterMs?: number;
  now?: () => number;
}

/**
 * Opens (creating when missing) the digest bucket lazily, so start-up never depends on it, and
 * brings its TTL in line with `ttlMs` when the bucket exists with another one.
 */
export function createBodyDigestStore(options: BodyDigestStoreOptions): BodyDigestStore {
  const { nc, bucket, ttlMs } = options;
  const timeoutMs = options.timeoutMs ?? 1000;
  const reopenAfterMs = options.reopenAfterMs ?? 5000;
  const now = options.now ?? Date.now;
  const js = jetstream(nc, { timeout: timeoutMs });
  // Claims started in one event-loop turn share one socket write, as webhook publishes do.
  const inThisTurn = createPerTurnBatcher();
  let opening: Promise<KV> | undefined;
  let failedAt = -Infinity;

  const open = (): Promise<KV> => {
    if (opening) return opening;
    if (now() - failedAt < reopenAfterMs) return Promise.reject(new Error(`digest bucket ${bucket} is unavailable`));
    opening = openBucket(js, bucket, ttlMs, options.replicas ?? 1).catch((error: unknown) => {
      opening = undefined;
      failedAt = now();
      throw error;
    });
    return opening;
  };

  const read = async (kv: KV, digest: string): Promise<string | undefined> => {
    const entry = await kv.get(digest);
    return entry && entry.operation === 'PUT' ? entry.string() : undefined;
  };

  return {
    bucket,
    async claim(digest, deliveryId) {
      const kv = await open();
      // Two tries: a digest that expires or is released between our create and our read is new again.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const revision = await inThisTurn(() => kv.create(digest, deliveryId));
          return { kind: 'claimed', revision };
        } catch (error) {
          if (!keyExists(error)) {
            // The bucket may have been deleted under us: open it again (no sooner than reopenAfterMs).
            opening = undefined;
            failedAt = now();
            throw error;
          }
        }
        const first = await read(kv, digest);
        if (first !== undefined) return { kind: 'seen', deliveryId: first };
      }
      throw new Error(`digest ${digest.slice(0, 12)}… changed twice while it was being claimed`);
    },
    async release(digest, revision) {
      const kv = await open();
      await kv.delete(digest, { previousSeq: revision });
    },
  };
}

async function openBucket(js: ReturnType<typeof jetstream>, bucket: string, ttlMs: number, replicas: number): Promise<KV> {
  const kv = await new Kvm(js).create(bucket, { history: 1, ttl: ttlMs, storage: 'file', replicas });
  const status = await kv.status();
  if (status.ttl !== ttlMs) {
    // `create` opens an existing bucket as it is; a changed WEBHOOK_REPLAY_TTL_SECONDS must still apply.
    const jsm = await js.jetstreamManager();
    const config = status.streamInfo.config;
    const maxAge = ttlMs * 1e6;
    await jsm.streams.update(config.name, { ...config, max_age: maxAge, duplicate_window: Math.min(config.duplicate_window, maxAge) });
  }
  return kv;
}

/** KV `create`'s refusal when the key exists (JetStream's wrong-last-sequence answer). */
function keyExists(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
