import type { JetStreamManager } from '@nats-io/jetstream';
import type { Topology } from '../contracts/topology.js';
import { desiredStreams } from './desired-streams.js';
import { differingKeys, isNotFound } from './ensure-streams.js';
import type { StreamDefinitions } from './stream-definitions.js';

/** How one stream or consumer on the server compares with `streams/`. */
export interface StreamDifference {
  kind: 'stream' | 'consumer';
  /** Stream name, or `STREAM/durable`. */
  name: string;
  /** `missing`: not on the server; `differs`: `changed` lists the fields; `extra`: a consumer on our stream that `streams/` does not define. */
  state: 'same' | 'missing' | 'differs' | 'extra';
  changed: string[];
}

/** Options of {@link diffStreams}. */
export interface DiffStreamsOptions {
  jsm: JetStreamManager;
  definitions: StreamDefinitions;
  topology: Topology;
  duplicateWindowSeconds?: number | undefined;
  /** Overrides every stream's num_replicas (NATS_REPLICAS). */
  replicas?: number | undefined;
}

/**
 * Compares the server's streams and consumers in `topology` with `streams/`, changing nothing:
 * what `ensureStreams` (start-up, `orchestrator streams apply`) would create or correct, and the
 * consumers on our streams that no file defines (start-up leaves those alone).
 */
export async function diffStreams(options: DiffStreamsOptions): Promise<StreamDifference[]> {
  const { jsm } = options;
  const desired = desiredStreams(options.definitions, options.topology, options.duplicateWindowSeconds, options.replicas);
  const differences: StreamDifference[] = [];
  for (const { name, config } of desired.streams) {
    const current = await jsm.streams.info(name).then(
      (info) => info.config as unknown as Record<string, unknown>,
      (error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)),
    );
    differences.push(compare('stream', name, config, current));
    if (current === undefined) continue;
    const defined = new Set(desired.consumers.filter((consumer) => consumer.stream === name).map((consumer) => consumer.durable));
    for await (const info of jsm.consumers.list(name)) {
      const durable = info.config.durable_name ?? info.name;
      if (!defined.has(durable)) differences.push({ kind: 'consumer', name: `${name}/${durable}`, state: 'extra', changed: [] });
    }
  }
  for (const { stream, durable, label, config } of desired.consumers) {
    const current = await jsm.consumers.info(stream, durable).then(
      (info) => info.config as unknown as Record<string, unknown>,
      (error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)),
    );
    differences.push(compare('consumer', label, config, current));
  }
  return differences;
}

function compare(
  kind: StreamDifference['kind'],
  name: string,
  desired: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
): StreamDifference {
  if (current === undefined) return { kind, name, state: 'missing', changed: [] };
  const changed = differingKeys(desired, current);
  return { kind, name, state: changed.length === 0 ? 'same' : 'differs', changed };
}
