import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export const NATS_URL = 'nats://127.0.0.1:4222';

/** A namespace no other test run uses, so streams and subjects never collide or start non-empty. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** Deletes every stream (including object-store and KV streams) created under `namespace`. */
export async function deleteNamespace(namespace: string, servers = NATS_URL): Promise<void> {
  const nc: NatsConnection = await connect({ servers, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      if (name.startsWith(`${namespace}_`) || name.startsWith(`OBJ_${namespace}_`) || name.startsWith(`KV_${namespace}_`)) {
        await jsm.streams.delete(name);
      }
    }
  } finally {
    await nc.close();
  }
}
