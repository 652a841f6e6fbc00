import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { listeningPorts, processCpu, processMemory, type CpuTime, type MemoryUsage } from './proc-stats.js';

export interface ServerProcessOptions {
  /** Label used in error messages. */
  name: string;
  /** The executable (normally `process.execPath`) and its arguments. */
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * The port the server was told to use. Leave it out and have the server listen on an
   * ephemeral port (PORT=0): either way the port is read from the child's own sockets.
   */
  port?: number;
  /** How long to wait for the server to listen (and be ready). Default 30 s. */
  readyTimeoutMs?: number;
  /**
   * A path that answers 200 once the server is ready, polled after it listens (ours opens its
   * port before NATS and PostgreSQL are reached: `/health/ready`). Default: listening is ready.
   */
  readyPath?: string;
}

/**
 * A server running in its own child process, so its memory and CPU are its own. Call `stop()`
 * in a `finally`: it sends SIGTERM, waits for a (graceful) exit and SIGKILLs after `graceMs`.
 */
export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  memory(): MemoryUsage;
  cpu(): CpuTime;
  /** The child's stdout and stderr so far (last 64 KB), for diagnostics. */
  output(): string;
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A TCP port that was free a moment ago on 127.0.0.1 (prefer PORT=0 and no `port`: no race). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns the server and resolves once it listens, with the port it chose. The port is read from
 * the child's own sockets, so a busy machine's other servers can never be mistaken for it.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, [...options.args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not spawn ${options.command}`);

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const ownPort = () => {
    const ports = listeningPorts(pid);
    return options.port === undefined ? ports[0] : ports.find((port) => port === options.port);
  };
  let port: number | undefined;
  while ((port = ownPort()) === undefined) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited before listening (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} did not listen in time:\n${output}`);
    }
    await sleep(100);
  }
  while (options.readyPath !== undefined) {
    const status = await fetch(`http://127.0.0.1:${port}${options.readyPath}`).then((response) => response.status, () => 0);
    if (status === 200) break;
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not ready in time (${options.readyPath} answered ${status}):\n${output}`);
    }
    await sleep(100);
  }

  return {
    pid,
    port,
    memory: () => processMemory(pid),
    cpu: () => processCpu(pid),
    output: () => output,
    stop: (graceMs = 15_000) => stop(child, exited, graceMs),
  };
}

async function stop(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  graceMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
