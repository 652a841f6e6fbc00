import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './tcp.js';

/** A PostgreSQL server a test owns, so it can stop it (an outage) and start it again. */
export interface OwnPostgres {
  port: number;
  url(database: string): string;
  start(): void;
  /** Immediate shutdown: connections drop as in a crash. */
  stop(): void;
  dispose(): void;
}

const BIN = path.join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin');

/** initdb as the `postgres` user (PostgreSQL refuses to run as root) in a temporary directory. */
export async function createOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'orch-pg-'));
  const data = path.join(dir, 'data');
  chownSync(dir, uid('postgres'), gid('postgres'));
  asPostgres([path.join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const pgctl = (...args: string[]) =>
    asPostgres([path.join(BIN, 'pg_ctl'), '-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, ...args]);
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start() {
      const status = spawnSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), '-D', data, 'status'], { stdio: 'ignore' });
      if (status.status !== 0) pgctl('start');
    },
    stop: () => pgctl('stop', '-m', 'immediate'),
    dispose() {
      spawnSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), '-D', data, 'stop', '-m', 'immediate'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function asPostgres(command: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', ...command], { stdio: 'ignore' });
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
