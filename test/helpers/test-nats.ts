import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export const NATS_URL = 'nats://127.0.0.1:4222';

/** A namespace no other test run uses, so streams and subjects never collide or start non-empty. */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** Deletes every stream (including object-store and key-value streams) created under `namespace`. */
export async function deleteNamespace(namespace: string, servers = NATS_URL): Promise<void> {
  const nc: NatsConnection = await connect({ servers, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      if ([`${namespace}_`, `OBJ_${namespace}_`, `KV_${namespace}_`].some((prefix) => name.startsWith(prefix))) {
        await jsm.streams.delete(name);
      }
    }
  } finally {
    await nc.close();
  }
}

/**
 * A NATS connection and a namespace of its own for the calling `describe` block: connected
 * before its tests, closed and the namespace's streams deleted after them.
 */
export function natsForSuite(): { readonly nc: NatsConnection; readonly namespace: string } {
  const namespace = uniqueNamespace();
  let nc: NatsConnection | undefined;
  before(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  after(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });
  return {
    namespace,
    get nc() {
      if (!nc) throw new Error('natsForSuite: the connection opens in before()');
      return nc;
    },
  };
}
