import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** A lease on one key of a NATS KV bucket: held by one holder at a time, lost by whoever stops renewing. */
export interface KvLease {
  /** Takes the lease when nobody holds it (or the holder's entry expired). */
  acquire(): Promise<boolean>;
  /** Extends a held lease; false when it was lost (expired and taken by another holder). */
  renew(): Promise<boolean>;
  /** Gives the lease up so another holder need not wait for the TTL. */
  release(): Promise<void>;
  readonly held: boolean;
}

/**
 * Opens (creating when missing) a KV bucket whose entries expire `ttlMs` after their last write:
 * a holder that crashes stops renewing, and its lease disappears by itself.
 */
export async function openLeaseBucket(nc: NatsConnection, bucket: string, ttlMs: number, replicas = 1): Promise<KV> {
  return new Kvm(nc).create(bucket, { ttl: ttlMs, history: 1, replicas });
}

/**
 * A lease on `key` of `kv` (see {@link openLeaseBucket}) for `holder`. Taking it is a KV `create`,
 * which JetStream refuses while the key has a live value; renewing is an `update` on the revision
 * we wrote, which fails once another holder wrote after our entry expired.
 */
export function createKvLease(options: { kv: KV; key: string; holder: string }): KvLease {
  const { kv, key, holder } = options;
  let revision: number | undefined;
  return {
    get held() {
      return revision !== undefined;
    },
    async acquire() {
      try {
        revision = await kv.create(key, holder);
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        throw error;
      }
    },
    async renew() {
      if (revision === undefined) return false;
      try {
        revision = await kv.update(key, holder, revision);
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
        revision = undefined;
        return false;
      }
    },
    async release() {
      if (revision === undefined) return;
      const previousSeq = revision;
      revision = undefined;
      await kv.delete(key, { previousSeq }).catch(() => undefined);
    },
  };
}

function isConflict(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence;
}
