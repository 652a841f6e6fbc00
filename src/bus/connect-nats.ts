import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../observability/logger.js';

export interface NatsLink {
  nc: NatsConnection;
  /** True while the client has a live connection (false during a reconnect). */
  connected(): boolean;
}

export interface ConnectNatsOptions {
  servers: readonly string[];
  logger: Logger;
  name?: string;
}

/**
 * Connects to NATS and, once connected, keeps reconnecting forever: a NATS outage must degrade the
 * service (503 on ingress, actors paused), never end it. Connection state changes are logged once
 * each. The first connection fails fast (refused, or no answer within 5 s) so that the caller can
 * say why and retry (see `retryUntilReachable`) instead of waiting silently.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsLink> {
  const { logger } = options;
  const nc = await connect({
    servers: [...options.servers],
    name: options.name ?? 'webhook-orchestrator',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: false,
    timeout: 5000,
    pingInterval: 10_000,
    maxPingOut: 2,
    // Async stack traces build two Error objects per request (every publish awaits a PubAck);
    // they cost ~40 µs per webhook and tell us nothing our own logs do not.
    noAsyncTraces: true,
  });
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        logger.warn({ nats: status.type }, 'NATS connection lost; reconnecting');
      } else if (status.type === 'reconnect') {
        connected = true;
        logger.info({ nats: status.type }, 'NATS connection restored');
      } else if (status.type === 'error') {
        logger.warn({ nats: status.type, err: status.error }, 'NATS reported an error');
      }
    }
  })();
  logger.info({ server: nc.getServer() }, 'connected to NATS');
  return { nc, connected: () => connected && !nc.isClosed() };
}
