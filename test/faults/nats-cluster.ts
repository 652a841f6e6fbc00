import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { answers, freePort } from '../helpers/tcp.js';

/** One node of a {@link NatsCluster}: its own client port, route port and store directory. */
export interface NatsNode {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly running: boolean;
  /** Starts (or restarts) the node on the same ports and store; resolves once it accepts clients. */
  start(): Promise<void>;
  /** SIGKILL: the node vanishes as in a crash (its store stays for a restart). */
  kill(): Promise<void>;
}

/** A JetStream cluster of nats-server processes on loopback that the caller owns. */
export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's URL, comma-separated, as NATS_URL takes them. */
  readonly urls: string;
  /** The node leading `stream` now (its Raft group's leader). */
  streamLeader(stream: string): Promise<NatsNode>;
  /** Resolves once JetStream answers on the cluster (a meta leader is elected). */
  ready(timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

const NATS_SERVER = '/usr/sbin/nats-server';

/**
 * Starts `size` nats-server nodes (default 3) with JetStream, routed to one another, each with a
 * store directory of its own under one temporary directory. Free ports are picked on 127.0.0.1, so
 * the machine's shared server on 4222 is never touched.
 */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  const root = await mkdtemp(path.join(tmpdir(), 'orch-faults-nats-'));
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
  const clusterName = `faults_${process.pid}`;
  const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
  const nodes = ports.map((p, index) => createNode(`n${index + 1}`, p.client, p.route, path.join(root, `n${index + 1}`), clusterName, routes));
  await Promise.all(nodes.map((node) => node.start()));
  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((node) => node.url).join(','),
    async streamLeader(stream) {
      const nc = await connect({ servers: nodes.filter((n) => n.running).map((n) => n.url), reconnect: false });
      try {
        const info = await (await jetstreamManager(nc)).streams.info(stream);
        const node = nodes.find((n) => n.name === info.cluster?.leader);
        if (!node) throw new Error(`stream ${stream} has no leader (cluster ${JSON.stringify(info.cluster)})`);
        return node;
      } finally {
        await nc.close();
      }
    },
    async ready(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        try {
          const nc = await connect({ servers: nodes.filter((n) => n.running).map((n) => n.url), reconnect: false });
          try {
            await (await jetstreamManager(nc)).getAccountInfo();
            return;
          } finally {
            await nc.close();
          }
        } catch (error) {
          last = error;
          await sleep(250);
        }
      }
      throw new Error(`the NATS cluster's JetStream did not answer within ${timeoutMs} ms: ${String(last)}`);
    },
    async dispose() {
      await Promise.all(nodes.map((node) => node.kill()));
      await rm(root, { recursive: true, force: true });
    },
  };
  await cluster.ready();
  return cluster;
}

function createNode(name: string, port: number, routePort: number, storeDir: string, clusterName: string, routes: string): NatsNode {
  let child: ChildProcess | undefined;
  const node: NatsNode = {
    name,
    port,
    url: `nats://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      if (node.running) return;
      const args = ['-a', '127.0.0.1', '-p', String(port), '-n', name, '-js', '-sd', storeDir,
        '--cluster_name', clusterName, '--cluster', `nats://127.0.0.1:${routePort}`, '--routes', routes];
      child = spawn(NATS_SERVER, args, { stdio: 'ignore' });
      const deadline = Date.now() + 15_000;
      while (!(await answers(port))) {
        if (!node.running) throw new Error(`nats-server ${name} exited on start (${child.exitCode ?? child.signalCode})`);
        if (Date.now() > deadline) throw new Error(`nats-server ${name} did not listen on ${port}`);
        await sleep(50);
      }
    },
    async kill() {
      if (!child || !node.running) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
  return node;
}
