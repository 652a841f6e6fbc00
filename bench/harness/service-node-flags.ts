import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The `npm start` command line, as npm hands it to the shell: `sh scripts/start-service.sh` today. */
export function npmStartCommand(packageJson = 'package.json'): { command: string; args: string[] } {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [command, ...args] = start.split(/\s+/).filter(Boolean);
  if (!command) throw new Error('package.json has no start script');
  return { command: command === 'node' ? process.execPath : command, args };
}

/**
 * The arguments `npm start` hands to `node` (flags, `--import ./dist/instrumentation.js`,
 * `dist/main.js`), with this environment (HEAP_MB …): the start command is run with a `node` first
 * on PATH that only records its arguments, so whatever the start script computes is what is read.
 */
export function npmStartNodeArgs(packageJson = 'package.json'): string[] {
  const { command, args } = npmStartCommand(packageJson);
  if (command === process.execPath) return args;
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  try {
    const record = join(dir, 'argv');
    writeFileSync(join(dir, 'node'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$BENCH_START_RECORD"\n');
    chmodSync(join(dir, 'node'), 0o755);
    const result = spawnSync(command, args, {
      cwd: dirname(packageJson),
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, BENCH_START_RECORD: record },
    });
    if (result.status !== 0) throw new Error(`the start command failed (${result.status}): ${result.stderr}`);
    return readFileSync(record, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The V8 memory flags `npm start` runs the service with, so the benches that start node
 * themselves measure the service with the heap it is deployed with.
 */
export function serviceNodeFlags(packageJson = 'package.json'): string[] {
  return npmStartNodeArgs(packageJson).filter((arg) => arg.startsWith('--max-'));
}
