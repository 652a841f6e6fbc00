import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager } from '@nats-io/jetstream';
import type { Topology } from '../contracts/topology.js';
import type { Logger } from '../observability/logger.js';
import { desiredStreams } from './desired-streams.js';
import type { StreamDefinitions } from './stream-definitions.js';

export interface EnsureStreamsOptions {
  jsm: JetStreamManager;
  definitions: StreamDefinitions;
  topology: Topology;
  logger: Logger;
  /** Overrides GITHUB's duplicate_window (seconds) from configuration. */
  duplicateWindowSeconds?: number | undefined;
  /** Overrides every stream's num_replicas (NATS_REPLICAS). */
  replicas?: number | undefined;
}

export interface EnsureStreamsReport {
  created: string[];
  updated: Array<{ name: string; changed: string[] }>;
  unchanged: string[];
}

/**
 * Creates or updates every stream and durable consumer so the server matches `streams/`.
 * Idempotent: a second run reports everything unchanged. Each field that differed is logged,
 * so an operator who changed a stream by hand sees what start-up put back.
 */
export async function ensureStreams(options: EnsureStreamsOptions): Promise<EnsureStreamsReport> {
  const { jsm, topology, logger } = options;
  const report: EnsureStreamsReport = { created: [], updated: [], unchanged: [] };
  const desired = desiredStreams(options.definitions, topology, options.duplicateWindowSeconds, options.replicas);
  for (const { name, config } of desired.streams) {
    const current = await jsm.streams.info(name).then(
      (info) => info.config as unknown as Record<string, unknown>,
      (error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      },
    );
    if (current === undefined) {
      await jsm.streams.add(config as Parameters<JetStreamManager['streams']['add']>[0]);
      report.created.push(name);
      logger.info({ stream: name }, 'stream created');
      continue;
    }
    const changed = differingKeys(config, current);
    if (changed.length === 0) {
      report.unchanged.push(name);
      continue;
    }
    await jsm.streams.update(name, config as Parameters<JetStreamManager['streams']['update']>[1]);
    report.updated.push({ name, changed });
    logger.warn({ stream: name, changed }, 'stream configuration differed from streams/; corrected');
  }
  for (const { stream, durable, label, config } of desired.consumers) {
    const current = await jsm.consumers.info(stream, durable).then(
      (info) => info.config as unknown as Record<string, unknown>,
      (error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      },
    );
    if (current === undefined) {
      await jsm.consumers.add(stream, config);
      report.created.push(label);
      logger.info({ consumer: label }, 'consumer created');
      continue;
    }
    const changed = differingKeys(config, current);
    if (changed.length === 0) {
      report.unchanged.push(label);
      continue;
    }
    await jsm.consumers.update(stream, durable, config);
    report.updated.push({ name: label, changed });
    logger.warn({ consumer: label, changed }, 'consumer configuration differed from streams/; corrected');
  }
  return report;
}

/** Keys of `desired` whose value the server holds differently (the server adds defaults we ignore). */
export function differingKeys(desired: Record<string, unknown>, current: Record<string, unknown>): string[] {
  return Object.keys(desired).filter((key) => {
    const want = desired[key];
    if (want === undefined) return false;
    return JSON.stringify(normalise(want)) !== JSON.stringify(normalise(current[key]));
  });
}

function normalise(value: unknown): unknown {
  // The server omits empty strings and false flags in some versions; treat them as absent.
  if (value === '' || value === false || value === null) return undefined;
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

export function isNotFound(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound)
  );
}
