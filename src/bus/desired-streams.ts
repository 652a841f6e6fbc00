import type { Topology } from '../contracts/topology.js';
import type { StreamDefinitions } from './stream-definitions.js';

/** A stream as the server should hold it: `streams/<NAME>.json` placed in the namespace. */
export interface DesiredStream {
  name: string;
  config: Record<string, unknown> & { name: string };
}

/** A durable consumer as the server should hold it. */
export interface DesiredConsumer {
  stream: string;
  durable: string;
  /** `STREAM/durable`, for reports. */
  label: string;
  config: Record<string, unknown>;
}

/**
 * The streams and consumers that `streams/` asks for in `topology`: names and subjects
 * namespaced, GITHUB's duplicate window and every stream's replica count overridden by
 * configuration when given (consumers follow their stream's). Both the start-up
 * (`ensureStreams`) and `orchestrator streams diff` compare the server against this.
 */
export function desiredStreams(
  definitions: StreamDefinitions,
  topology: Topology,
  duplicateWindowSeconds?: number,
  replicas?: number,
): { streams: DesiredStream[]; consumers: DesiredConsumer[] } {
  const streams = definitions.streams.map((definition) => {
    const config: DesiredStream['config'] = {
      ...definition,
      name: topology.streamName(definition.name),
      subjects: (definition.subjects ?? []).map((subject) => topology.subject(subject)),
    };
    if (definition.name === 'GITHUB' && duplicateWindowSeconds !== undefined) config.duplicate_window = duplicateWindowSeconds * 1e9;
    if (replicas !== undefined) config.num_replicas = replicas;
    return { name: config.name, config };
  });
  const consumers = definitions.consumers.map(({ stream, config }) => {
    const streamName = topology.streamName(stream);
    return {
      stream: streamName,
      durable: config.durable_name,
      label: `${streamName}/${config.durable_name}`,
      config: { ...config, filter_subject: config.filter_subject ? topology.subject(config.filter_subject) : undefined },
    };
  });
  return { streams, consumers };
}
