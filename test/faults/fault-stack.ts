import { createOwnPostgres, type OwnPostgres } from '../helpers/own-postgres.js';
import { startNatsCluster, type NatsCluster } from './nats-cluster.js';

/** The infrastructure a fault run owns for all its scenarios: a 3-node NATS cluster and a PostgreSQL server. */
export interface FaultStack {
  cluster: NatsCluster;
  postgres: OwnPostgres;
  dispose(): Promise<void>;
}

/**
 * Starts both on free loopback ports (never the machine's shared 4222 and 5432, which other
 * engineers' tests use meanwhile). Each scenario then takes a namespace and a database of its own.
 */
export async function startFaultStack(): Promise<FaultStack> {
  const postgres = await createOwnPostgres();
  postgres.start();
  let cluster: NatsCluster;
  try {
    cluster = await startNatsCluster(3);
  } catch (error) {
    postgres.dispose();
    throw error;
  }
  return {
    cluster,
    postgres,
    async dispose() {
      await cluster.dispose();
      postgres.dispose();
    },
  };
}
