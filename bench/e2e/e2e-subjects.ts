import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { ensureDatabase } from '../../src/effects/db/ensure-database.js';
import { createLogger } from '../../src/observability/logger.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../test/helpers/test-database.js';
import { deleteNamespace, uniqueNamespace } from '../../test/helpers/test-nats.js';
import { childEnv } from '../harness/child-env.js';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import { npmStartCommand, npmStartNodeArgs } from '../harness/service-node-flags.js';

export type E2eSubjectId = 'reference' | 'ours' | 'ours-x2';

/** What the database says about the deliveries a subject has taken in. */
export interface E2eTally {
  /** Deliveries whose work is finished (ours: analysis task final; reference: row upserted). */
  final: number;
  /** Rows/tasks in all, and how many distinct deliveries and pull requests they belong to. */
  total: number;
  distinctDeliveries: number;
  distinctPullRequests: number;
  /** Ours: tasks per status, e.g. `{ failed: 4001 }`. */
  statuses?: Record<string, number>;
  /** Ours: tasks tried more than once plus deliveries seen more than once (work done twice; 0 expected). */
  reprocessed?: number;
}

/** A subject's process, running, with its database open for counting. */
export interface StartedE2eSubject {
  /** The first (or only) process, and its webhook URL. */
  readonly server: ServerProcess;
  readonly url: string;
  /** Every process of the subject (two for ours ×2, sharing the consumers), and each one's webhook URL. */
  readonly servers: readonly ServerProcess[];
  readonly urls: readonly string[];
  /** How many deliveries are finished: the one query polled while draining. */
  finalCount(): Promise<number>;
  tally(): Promise<E2eTally>;
  /** Stops the process (SIGTERM), closes the count connection, drops the database and streams. */
  close(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
}

export interface E2eSubject {
  id: E2eSubjectId;
  label: string;
  start(): Promise<StartedE2eSubject>;
}

export interface E2eSubjectContext {
  root: string;
  secret: string;
  natsUrl: string;
  /** The service's LOG_LEVEL; unset leaves `npm start`'s default. */
  logLevel?: string;
  /** Ours runs under `node --cpu-prof`, writing its profile here when it exits. */
  profileDir?: string;
}

/**
 * Ours, exactly as `npm start` runs it (its start command: `sh scripts/start-service.sh`, which
 * execs node with the heap flags, `--import ./dist/instrumentation.js` and `dist/main.js`; ingress
 * and actors in one process; OpenTelemetry as the environment says),
 * with a namespace and a database of its own. GitHub is not configured: every analysis ends `failed`.
 * With `instances: 2`, two such processes share the namespace's durable consumers and the
 * database (the horizontal-scale set-up), each taking half the webhook load.
 */
export function oursE2e(context: E2eSubjectContext, instances: 1 | 2 = 1): E2eSubject {
  return {
    id: instances === 2 ? 'ours-x2' : 'ours',
    label: instances === 2 ? 'ours ×2 (two npm start, shared consumers)' : 'ours (npm start)',
    async start() {
      const namespace = uniqueNamespace('e2e');
      const databaseName = uniqueDatabaseName('orch_e2e');
      const databaseUrl = testDatabaseUrl(databaseName);
      const cleanUp = async () => {
        await deleteNamespace(namespace, context.natsUrl).catch(() => undefined);
        await dropTestDatabase(databaseName).catch(() => undefined);
      };
      // Profiled, the start script's own node command line runs directly with --cpu-prof added
      // (Node 20 refuses --cpu-prof in NODE_OPTIONS).
      const start = context.profileDir
        ? { command: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, ...npmStartNodeArgs(join(context.root, 'package.json'))] }
        : npmStartCommand(join(context.root, 'package.json'));
      const servers: ServerProcess[] = [];
      try {
        // The start command execs node, so the child's pid is the service's own (its VmHWM, its CPU).
        // One after the other: the first creates the database and runs the migrations.
        for (let index = 0; index < instances; index++) servers.push(await startServerProcess({
          name: instances === 1 ? 'orchestrator' : `orchestrator ${index + 1}`,
          command: start.command,
          args: start.args,
          cwd: context.root,
          env: childEnv({
            PORT: '0',
            HOST: '127.0.0.1',
            GITHUB_WEBHOOK_SECRET: context.secret,
            NATS_URL: context.natsUrl,
            NATS_NAMESPACE: namespace,
            DATABASE_URL: databaseUrl,
            ...(context.logLevel ? { LOG_LEVEL: context.logLevel } : {}),
          }),
          readyPath: '/health/ready',
          readyTimeoutMs: 90_000,
        }));
      } catch (error) {
        for (const server of servers) await server.stop().catch(() => undefined);
        await cleanUp();
        throw error;
      }
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const TYPE = `task_type = 'pull_request_analysis'`;
      const urls = servers.map((server) => `http://127.0.0.1:${server.port}/api/v1/webhooks/github`);
      return {
        server: servers[0]!,
        url: urls[0]!,
        servers,
        urls,
        finalCount: async () =>
          Number((await db.query(`select count(*) as n from tasks where ${TYPE} and status not in ('queued', 'running', 'retrying')`)).rows[0].n),
        async tally() {
          const counts = (
            await db.query(`select count(*) as total, count(*) filter (where status not in ('queued', 'running', 'retrying')) as final,
                count(distinct delivery_id) as deliveries, count(distinct (repository, pull_request_number)) as prs
              from tasks where ${TYPE}`)
          ).rows[0];
          const statuses = (await db.query(`select status, count(*) as n from tasks where ${TYPE} group by status`)).rows;
          const reprocessed = (
            await db.query(`select (select count(*) from tasks where attempt_count > 1) + (select count(*) from webhook_deliveries where times_seen > 1) as n`)
          ).rows[0].n;
          return {
            reprocessed: Number(reprocessed),
            final: Number(counts.final),
            total: Number(counts.total),
            distinctDeliveries: Number(counts.deliveries),
            distinctPullRequests: Number(counts.prs),
            statuses: Object.fromEntries(statuses.map((row) => [row.status as string, Number(row.n)])),
          };
        },
        async close() {
          // The worst exit of the processes: a clean one is reported only when every one exited 0.
          const exits = [];
          for (const server of servers) exits.push(await server.stop().catch(() => undefined));
          await db.end().catch(() => undefined);
          await cleanUp();
          return exits.find((exit) => !exit || exit.code !== 0) ?? exits[0];
        },
      };
    },
  };
}

/**
 * The naive reference of the same shape (`reference-pipeline.mjs`, under bare node): Koa →
 * HMAC check → JetStream publish, 202 after the PubAck; a consumer fetching batches and doing one
 * multi-row upsert per batch, acking after the commit. Its own stream and database.
 */
export function referenceE2e(context: E2eSubjectContext): E2eSubject {
  return {
    id: 'reference',
    label: 'naive reference (Koa → JetStream → batch upsert)',
    async start() {
      const stream = `${uniqueNamespace('ref')}_REF`;
      const databaseName = uniqueDatabaseName('orch_ref');
      const databaseUrl = testDatabaseUrl(databaseName);
      const cleanUp = async () => {
        const nc = await connect({ servers: context.natsUrl, reconnect: false });
        await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
        await nc.close();
        await dropTestDatabase(databaseName).catch(() => undefined);
      };
      let server: ServerProcess;
      try {
        await ensureDatabase(databaseUrl, createLogger({ level: 'fatal' }));
        server = await startServerProcess({
          name: 'reference pipeline',
          command: process.execPath,
          args: [join(context.root, 'bench/e2e/reference-pipeline.mjs')],
          cwd: context.root,
          env: childEnv({ PORT: '0', BENCH_SECRET: context.secret, BENCH_STREAM: stream, DATABASE_URL: databaseUrl, NATS_URL: context.natsUrl }),
        });
      } catch (error) {
        await cleanUp();
        throw error;
      }
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      const url = `http://127.0.0.1:${server.port}/webhooks`;
      return {
        server,
        url,
        servers: [server],
        urls: [url],
        finalCount: async () => Number((await db.query('select count(*) as n from pull_request_events')).rows[0].n),
        async tally() {
          const counts = (
            await db.query(`select count(*) as total, count(distinct delivery_id) as deliveries,
                count(distinct (repository, number)) as prs from pull_request_events`)
          ).rows[0];
          const total = Number(counts.total);
          return { final: total, total, distinctDeliveries: Number(counts.deliveries), distinctPullRequests: Number(counts.prs) };
        },
        async close() {
          const exit = await server.stop().catch(() => undefined);
          await db.end().catch(() => undefined);
          await cleanUp();
          return exit;
        },
      };
    },
  };
}
