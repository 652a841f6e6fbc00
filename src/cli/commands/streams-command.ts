import type { Command } from 'commander';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { StreamDefinitions } from '../../bus/stream-definitions.js';
import type { Topology } from '../../contracts/topology.js';
import { redactUrl } from '../../startup/redact-url.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';

/** `streams apply|diff`: the server's streams and consumers against `streams/`. */
export function addStreamsCommand(program: Command, context: CommandContext): void {
  const streams = program
    .command('streams')
    .description('JetStream streams and consumers against the definitions in streams/ (NATS_URL, NATS_NAMESPACE, STREAMS_DIR)');

  streams
    .command('diff')
    .description('show what differs between the server and streams/, changing nothing (exit 1 when something differs)')
    .action(async (_options: unknown, command: Command) => {
      const { diffStreams } = await import('../../bus/diff-streams.js');
      const differences = await withJetStream(context, ({ jsm, definitions, topology, duplicateWindowSeconds, replicas }) =>
        diffStreams({ jsm, definitions, topology, duplicateWindowSeconds, replicas }),
      );
      const drift = differences.filter((difference) => difference.state !== 'same');
      context.print(command, { in_sync: drift.length === 0, differences }, () =>
        [
          formatTable(differences, [
            { title: 'kind', value: (d) => d.kind },
            { title: 'name', value: (d) => d.name, max: 60 },
            { title: 'state', value: (d) => d.state },
            { title: 'fields', value: (d) => d.changed.join(', '), max: 80 },
          ]),
          drift.length === 0 ? 'the server matches streams/' : `${drift.length} difference(s); \`orchestrator streams apply\` corrects missing and differing ones`,
        ].join('\n'),
      );
      if (drift.length > 0) throw new CliError('failed', `the server differs from ${context.config().nats.streamsDir}/ in ${drift.length} place(s)`);
    });

  streams
    .command('apply')
    .description('create or update the streams and consumers so the server matches streams/ (what start-up does)')
    .action(async (_options: unknown, command: Command) => {
      const [{ ensureStreams }, { createLogger }] = await Promise.all([
        import('../../bus/ensure-streams.js'),
        import('../../observability/logger.js'),
      ]);
      const report = await withJetStream(context, ({ jsm, definitions, topology, duplicateWindowSeconds, replicas }) =>
        ensureStreams({ jsm, definitions, topology, duplicateWindowSeconds, replicas, logger: createLogger({ level: 'fatal' }) }),
      );
      context.print(command, report, (value) =>
        [
          ...value.created.map((name) => `created    ${name}`),
          ...value.updated.map((entry) => `corrected  ${entry.name} (${entry.changed.join(', ')})`),
          `${value.created.length} created, ${value.updated.length} corrected, ${value.unchanged.length} unchanged`,
        ].join('\n'),
      );
    });
}

interface JetStreamScope {
  jsm: JetStreamManager;
  definitions: StreamDefinitions;
  topology: Topology;
  duplicateWindowSeconds: number | undefined;
  replicas: number;
}

// NATS and the stream modules are loaded only by the commands that use them: the API commands start faster.
async function withJetStream<T>(context: CommandContext, work: (scope: JetStreamScope) => Promise<T>): Promise<T> {
  const [{ jetstreamManager }, { connect }, { loadStreamDefinitions }, { createTopology }] = await Promise.all([
    import('@nats-io/jetstream'),
    import('@nats-io/transport-node'),
    import('../../bus/stream-definitions.js'),
    import('../../contracts/topology.js'),
  ]);
  const { nats } = context.config();
  const definitions = await loadStreamDefinitions(nats.streamsDir).catch((error: unknown) => {
    throw new CliError('usage', `cannot read the stream definitions in ${nats.streamsDir}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const nc = await connect({ servers: [...nats.servers], reconnect: false, timeout: 3000, name: 'orchestrator-cli' }).catch((error: unknown) => {
    const where = nats.servers.map(redactUrl).join(', ');
    throw new CliError('unreachable', `cannot reach NATS at ${where} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  });
  try {
    const jsm = await jetstreamManager(nc);
    return await work({ jsm, definitions, topology: createTopology(nats.namespace), duplicateWindowSeconds: nats.duplicateWindowSeconds, replicas: nats.replicas });
  } finally {
    await nc.close();
  }
}
