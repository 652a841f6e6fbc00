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
    await reconcile(report, logger, {
      kind: 'stream',
      label: name,
      desired: config,
      read: () => jsm.streams.info(name).then((info) => info.config),
      create: () => jsm.streams.add(config as Parameters<JetStreamManager['streams']['add']>[0]),
      update: () => jsm.streams.update(name, config as Parameters<JetStreamManager['streams']['update']>[1]),
    });
  }
  for (const { stream, durable, label, config } of desired.consumers) {
    await reconcile(report, logger, {
      kind: 'consumer',
      label,
      desired: config,
      read: () => jsm.consumers.info(stream, durable).then((info) => info.config),
      create: () => jsm.consumers.add(stream, config),
      update: () => jsm.consumers.update(stream, durable, config),
    });
  }
  return report;
}

/** One stream or consumer: how to read it from the server, create it and update it. */
interface Reconciled {
  kind: 'stream' | 'consumer';
  /** The name reported and logged (a consumer's is `<stream>/<durable>`). */
  label: string;
  desired: object;
  read(): Promise<object>;
  create(): Promise<unknown>;
  update(): Promise<unknown>;
}

/** Creates what the server lacks, updates what differs (logging each field), leaves the rest. */
async function reconcile(report: EnsureStreamsReport, logger: Logger, item: Reconciled): Promise<void> {
  const current = await item.read().then(
    (config) => config as Record<string, unknown>,
    (error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    },
  );
  if (current === undefined) {
    await item.create();
    report.created.push(item.label);
    logger.info({ [item.kind]: item.label }, `${item.kind} created`);
    return;
  }
  const changed = differingKeys(item.desired as Record<string, unknown>, current);
  if (changed.length === 0) {
    report.unchanged.push(item.label);
    return;
  }
  await item.update();
  report.updated.push({ name: item.label, changed });
  logger.warn({ [item.kind]: item.label, changed }, `${item.kind} configuration differed from streams/; corrected`);
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
