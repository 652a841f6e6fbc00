import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';

type Doc = Record<string, any>;

const MiB = 1024 * 1024;

/** The runtime stage's CMD (exec form) and its ENV defaults, as `docker run` would use them. */
function dockerRuntime(): { argv: string[]; env: Record<string, string> } {
  const text = readFileSync('Dockerfile', 'utf8').replace(/\\\n\s*/g, ' ');
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const cmd = [...runtime.matchAll(/^CMD (\[.*\])$/gm)].pop();
  if (!cmd) throw new Error('the runtime stage has no exec-form CMD');
  const env: Record<string, string> = {};
  for (const [, pairs] of runtime.matchAll(/^ENV (.*)$/gm)) {
    for (const [, key, value] of pairs!.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
  }
  return { argv: JSON.parse(cmd[1]!) as string[], env };
}

function k8s(kind: string): Doc {
  for (const file of ['configmap.yaml', 'deployment.yaml']) {
    for (const document of parseAllDocuments(readFileSync(path.join('ops/k8s', file), 'utf8'))) {
      const doc = document.toJS() as Doc;
      if (doc.kind === kind) return doc;
    }
  }
  throw new Error(`no ${kind}`);
}

interface Rendered {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The arguments the start command handed to `node`. */
  nodeArgv: string[];
  /** MALLOC_ARENA_MAX and MALLOC_MMAP_THRESHOLD_ as node saw them ('unset' when not set). */
  mallocTuning: string | undefined;
  /** V8's heap limit of a Node started with those arguments' heap flags. */
  heapLimitBytes: number;
}

/**
 * Runs a start command as the container (or npm) would, with a `node` first on PATH that records
 * its arguments and then starts the real Node with the heap flags it was given, printing V8's
 * resulting heap limit instead of starting the service.
 */
function render(argv: string[], env: Record<string, string>): Rendered {
  const dir = mkdtempSync(path.join(tmpdir(), 'start-command-'));
  try {
    const record = path.join(dir, 'argv');
    writeFileSync(
      path.join(dir, 'node'),
      [
        '#!/bin/sh',
        'printf "%s\\n" "$@" > "$START_COMMAND_RECORD"',
        'printf "%s %s" "${MALLOC_ARENA_MAX-unset}" "${MALLOC_MMAP_THRESHOLD_-unset}" > "$START_COMMAND_RECORD.malloc"',
        'flags=""',
        'for arg in "$@"; do case "$arg" in --max-*) flags="$flags $arg" ;; esac; done',
        'exec "$REAL_NODE" $flags -p "require(\'node:v8\').getHeapStatistics().heap_size_limit"',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(dir, 'node'), 0o755);
    const [command, ...args] = argv;
    const result = spawnSync(command!, args, {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env.PATH}`, HOME: dir, START_COMMAND_RECORD: record, REAL_NODE: process.execPath, ...env },
    });
    let nodeArgv: string[] = [];
    let mallocTuning: string | undefined;
    try {
      nodeArgv = readFileSync(record, 'utf8').split('\n').filter(Boolean);
      mallocTuning = readFileSync(`${record}.malloc`, 'utf8');
    } catch {
      // node was never started (a refused configuration)
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, nodeArgv, mallocTuning, heapLimitBytes: Number(result.stdout.trim()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Only the heap flags matter to V8's limit; the service's own flags must be there too. */
function expectServiceStarted(rendered: Rendered, heapMb: number): void {
  expect(rendered.status, rendered.stderr).to.equal(0);
  expect(rendered.nodeArgv).to.include.members([`--max-old-space-size=${heapMb}`, '--import', './dist/instrumentation.js', 'dist/main.js']);
  expect(rendered.nodeArgv.at(-1)).to.equal('dist/main.js');
  // heap_size_limit = old space + young generation (3 × semi-space): a few MiB above the old space.
  expect(rendered.heapLimitBytes).to.be.within(heapMb * MiB, (heapMb + 64) * MiB);
}

describe('the start command (scripts/start-service.sh)', function () {
  this.timeout(30_000);

  it('is the Docker image’s CMD, and sizes the heap from the image’s HEAP_MB default', () => {
    const { argv, env } = dockerRuntime();
    expect(argv).to.deep.equal(['sh', 'scripts/start-service.sh']);
    expect(env.HEAP_MB).to.equal('160');
    expectServiceStarted(render(argv, env), 160);
  });

  it('honours the Kubernetes ConfigMap’s HEAP_MB in the Deployment’s container, which runs the image’s command', () => {
    const { argv, env: imageEnv } = dockerRuntime();
    const [container] = k8s('Deployment').spec.template.spec.containers as Doc[];
    expect(container!.command, 'the container must run the image’s start command').to.equal(undefined);
    expect(container!.args).to.equal(undefined);
    const configMap = k8s('ConfigMap').data as Record<string, string>;
    const literalEnv = Object.fromEntries(
      ((container!.env ?? []) as Doc[]).filter((entry) => typeof entry.value === 'string').map((entry) => [entry.name, entry.value]),
    );
    const env = { ...imageEnv, ...configMap, ...literalEnv };
    const heapMb = Number(env.HEAP_MB);
    expect(heapMb).to.equal(640);
    expect(env.NODE_OPTIONS ?? '', 'a second heap setting would compete with HEAP_MB').to.not.match(/max-old-space-size/);
    const memoryLimit = container!.resources.limits.memory as string;
    expect(memoryLimit).to.equal('1Gi');
    expect(heapMb * MiB, 'the heap fits well inside the memory limit').to.be.below(0.75 * 1024 * MiB);
    expectServiceStarted(render(argv, env), heapMb);
  });

  it('is what npm start runs, with HEAP_MB from the environment and no npm banner on stdout', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Doc;
    expect(pkg.scripts.start).to.equal('sh scripts/start-service.sh');
    const npmCli = realpathSync(path.join(path.dirname(process.execPath), 'npm'));
    // --ignore-scripts skips prestart (the TypeScript build), not the start script itself.
    const rendered = render([process.execPath, npmCli, 'start', '--ignore-scripts'], { HEAP_MB: '300' });
    expectServiceStarted(rendered, 300);
    expect(rendered.stdout.trim(), 'stdout holds only what the service printed').to.match(/^\d+$/);
  });

  it('passes docker-compose’s HEAP_MB to the container', () => {
    const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as Doc;
    expect(compose.services.orchestrator.environment.HEAP_MB).to.equal('${HEAP_MB:-160}');
  });

  it('tunes glibc malloc for a memory limit (two arenas, blocks from 32 KiB mapped) unless the environment says otherwise', () => {
    expect(render(['sh', 'scripts/start-service.sh'], {}).mallocTuning).to.equal('2 32768');
    expect(render(['sh', 'scripts/start-service.sh'], { MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '131072' }).mallocTuning).to.equal('4 131072');
  });

  it('refuses a HEAP_MB that is not a whole number of MiB, before starting node', () => {
    const rendered = render(['sh', 'scripts/start-service.sh'], { HEAP_MB: '640m' });
    expect(rendered.status).to.equal(78);
    expect(rendered.stderr).to.contain("HEAP_MB must be a whole number of MiB, got '640m'");
    expect(rendered.nodeArgv).to.deep.equal([]);
  });
});
