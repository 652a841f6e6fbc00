import { createHash } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { AppError } from '../errors/app-error.js';

/**
 * Claim check for payloads larger than a NATS message may be: the bytes go into a JetStream
 * object store, and the message carries `<bucket>/<name>` plus the payload's SHA-256.
 */
export interface PayloadStore {
  readonly bucket: string;
  /** Stores `bytes` under `name` (overwriting the same name is harmless: same delivery, same bytes). */
  put(name: string, bytes: Uint8Array): Promise<{ ref: string; sha256: string }>;
  /** Reads a stored payload back, verifying its digest. */
  get(ref: string, sha256?: string): Promise<Uint8Array>;
  /** The stored payload's size in bytes, or null when it is no longer there. */
  size(ref: string): Promise<number | null>;
  delete(ref: string): Promise<void>;
}

export interface PayloadStoreOptions {
  nc: NatsConnection;
  bucket: string;
  /** How long payloads are kept; matches the GITHUB stream's max_age by default (7 days). */
  ttlMs?: number;
  /** Copies JetStream keeps of the bucket when it creates it (default 1). */
  replicas?: number;
}

export async function createPayloadStore(options: PayloadStoreOptions): Promise<PayloadStore> {
  const objm = new Objm(options.nc);
  const ttlMs = options.ttlMs ?? 7 * 24 * 3600 * 1000;
  let store: ObjectStore | undefined;
  // Created lazily: most deliveries never need it, and start-up should not depend on it.
  const open = async (): Promise<ObjectStore> => {
    store ??= await objm.create(options.bucket, { storage: 'file', ttl: ttlMs * 1e6, replicas: options.replicas ?? 1 });
    return store;
  };
  const nameOf = (ref: string): string => {
    const prefix = `${options.bucket}/`;
    if (!ref.startsWith(prefix)) {
      throw new AppError('permanent_failure', `payload reference "${ref}" is not in bucket ${options.bucket}`);
    }
    return ref.slice(prefix.length);
  };
  return {
    bucket: options.bucket,
    async put(name, bytes) {
      const os = await open();
      await os.putBlob({ name }, bytes);
      return { ref: `${options.bucket}/${name}`, sha256: sha256Hex(bytes) };
    },
    async get(ref, sha256) {
      const os = await open();
      const bytes = await os.getBlob(nameOf(ref));
      if (bytes === null) throw new AppError('permanent_failure', `payload ${ref} is no longer in the object store`);
      if (sha256 !== undefined && sha256Hex(bytes) !== sha256) {
        throw new AppError('permanent_failure', `payload ${ref} does not match its digest`);
      }
      return bytes;
    },
    async size(ref) {
      const os = await open();
      const info = await os.info(nameOf(ref));
      return info && !info.deleted ? info.size : null;
    },
    async delete(ref) {
      const os = await open();
      await os.delete(nameOf(ref));
    },
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
