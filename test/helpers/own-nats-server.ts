import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { answers, freePort } from './tcp.js';

/** A nats-server with JetStream that a test owns: it may stop it and start it again. */
export interface OwnNatsServer {
  port: number;
  url: string;
  /** Starts (or restarts) the server on the same port and store directory. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

export async function createOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(path.join(tmpdir(), 'orch-nats-'));
  let child: ChildProcess | undefined;
  const server: OwnNatsServer = {
    port,
    url: `nats://127.0.0.1:${port}`,
    async start() {
      // Default settings on purpose (max_payload 1 MB): the claim check must work against them.
      const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir];
      child = spawn('/usr/sbin/nats-server', args, { stdio: 'ignore' });
      await waitFor(() => answers(port), 10_000, `nats-server on ${port} did not start`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      child = undefined;
    },
    async dispose() {
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
  return server;
}



async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(message);
}
