import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';

export interface ConsumerDefinition {
  stream: string;
  config: Partial<ConsumerConfig> & { durable_name: string };
}

export interface StreamDefinitions {
  streams: Array<Partial<StreamConfig> & { name: string }>;
  consumers: ConsumerDefinition[];
}

/**
 * Reads `streams/*.json` (stream configs) and `streams/consumers/<STREAM>/*.json` (consumer
 * configs): the same files `nats stream add --config` and `nats consumer add STREAM --config` take.
 */
export async function loadStreamDefinitions(dir: string): Promise<StreamDefinitions> {
  const streams: StreamDefinitions['streams'] = [];
  for (const file of (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()) {
    const config = await readJson(path.join(dir, file));
    if (typeof config.name !== 'string') throw new Error(`${file}: stream definition without a name`);
    streams.push(config as StreamDefinitions['streams'][number]);
  }
  const consumers: ConsumerDefinition[] = [];
  const consumerDir = path.join(dir, 'consumers');
  for (const stream of (await readdir(consumerDir)).sort()) {
    for (const file of (await readdir(path.join(consumerDir, stream))).filter((n) => n.endsWith('.json')).sort()) {
      const config = await readJson(path.join(consumerDir, stream, file));
      if (typeof config.durable_name !== 'string') throw new Error(`${stream}/${file}: consumer without durable_name`);
      consumers.push({ stream, config: config as ConsumerDefinition['config'] });
    }
  }
  return { streams, consumers };
}

/** The GitHub events that have a consumer of their own (`github.<event>.>`), e.g. pull_request, push. */
export function routedEvents(consumers: readonly ConsumerDefinition[]): string[] {
  const subjects = consumers.flatMap((consumer) => [consumer.config.filter_subject, ...(consumer.config.filter_subjects ?? [])]);
  const events = subjects.map((subject) => /^github\.([a-z0-9_]+)\./.exec(subject ?? '')?.[1]);
  return [...new Set(events.filter((event): event is string => event !== undefined))].sort();
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}
