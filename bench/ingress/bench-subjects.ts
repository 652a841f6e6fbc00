import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.js';
import { serviceNodeFlags } from '../harness/service-node-flags.js';

/** A server under test: how to start it and what a correct answer looks like. */
export interface BenchSubject {
  id: 'bare' | 'octokit' | 'ours' | 'ours-unchecked' | 'ours-2' | 'ours-unchecked-2';
  label: string;
  /** Executable and arguments, spawned in `cwd`. */
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The webhook route. */
  path: string;
  /** The status every correct answer has. */
  okStatus: number;
  /** Why the numbers may not be comparable (e.g. run under tsx). */
  caveat?: string;
}

export interface SubjectContext {
  root: string;
  /** The checkout whose dist/ (or src/) and streams/ are ours to measure; normally `root`. */
  serviceDir: string;
  secret: string;
  natsUrl: string;
  namespace: string;
  /** Start ours as `npm start` does, with dist/instrumentation.js preloaded. */
  preload: boolean;
  /** Extra node flags for ours only (e.g. `--max-semi-space-size=4`), to try runtime settings. */
  nodeArgs: readonly string[];
  /** Write a V8 CPU profile of our ingress here (`node --cpu-prof`), if set. */
  cpuProfile?: { dir: string; name: string };
}

/** The ceiling: node:http reading the body and answering 202. */
export function bareSubject(context: SubjectContext): BenchSubject {
  return {
    id: 'bare',
    label: 'bare node:http',
    command: process.execPath,
    args: [join(context.root, 'bench/ingress/bare-server.mjs')],
    cwd: context.root,
    env: childEnv({ PORT: '0' }),
    path: '/api/github/webhooks',
    okStatus: 202,
  };
}

/** @octokit/webhooks' createNodeMiddleware, as a Probot user runs it. */
export function octokitSubject(context: SubjectContext): BenchSubject {
  return {
    id: 'octokit',
    label: '@octokit/webhooks',
    command: process.execPath,
    args: [join(context.root, 'bench/ingress/octokit-server.mjs')],
    cwd: context.root,
    env: childEnv({ PORT: '0', BENCH_SECRET: context.secret }),
    path: '/api/github/webhooks',
    okStatus: 200,
  };
}

/**
 * Our ingress, compiled, with the V8 heap flags `npm start` uses: `node dist/main.js` with the OpenTelemetry SDK disabled, actors off and
 * a namespace of its own. With `preload`, it runs exactly as `npm start` does (source maps and
 * `--import dist/instrumentation.js`). Without a build it falls back to tsx, whose loader costs
 * ~40 MB of RSS: the caveat says so. With `replayAndAge: false` (the `ours-unchecked` row) the
 * replay check and the event-age rule are off, so what they cost is read from the same run; `second`
 * is the second process of the same configuration (see ingress.ts: the two are started A B B A).
 */
export function oursSubject(context: SubjectContext, checks: { replayAndAge: boolean; second?: boolean } = { replayAndAge: true }): BenchSubject {
  const dist = join(context.serviceDir, 'dist');
  const built = existsSync(join(dist, 'main.js'));
  // As deployed: the heap flags of `npm start` first, then any the caller adds.
  const args: string[] = [...serviceNodeFlags(join(context.serviceDir, 'package.json')), ...context.nodeArgs];
  if (context.cpuProfile) {
    args.push('--cpu-prof', `--cpu-prof-dir=${context.cpuProfile.dir}`, `--cpu-prof-name=${context.cpuProfile.name}`);
  }
  if (built) {
    if (context.preload) {
      args.push('--enable-source-maps');
      if (existsSync(join(dist, 'instrumentation.js'))) args.push('--import', join(dist, 'instrumentation.js'));
    }
    args.push(join(dist, 'main.js'));
  } else {
    args.push('--import', 'tsx', join(context.serviceDir, 'src/main.ts'));
  }
  return {
    id: `${checks.replayAndAge ? 'ours' : 'ours-unchecked'}${checks.second ? '-2' : ''}`,
    label: `${checks.replayAndAge ? 'our ingress' : 'ours, checks off'}${checks.second ? ' (2nd process)' : ''}`,
    command: process.execPath,
    args,
    cwd: context.serviceDir,
    env: childEnv({
      NODE_ENV: 'production',
      GITHUB_WEBHOOK_SECRET: context.secret,
      HOST: '127.0.0.1',
      PORT: '0',
      NATS_URL: context.natsUrl,
      NATS_NAMESPACE: context.namespace,
      LOG_LEVEL: 'warn',
      ACTORS_ENABLED: 'false',
      OTEL_SDK_DISABLED: 'true',
      // Off only in the comparison row, so the checks' cost is read from one run.
      ...(checks.replayAndAge ? {} : { WEBHOOK_REPLAY_TTL_SECONDS: '0', WEBHOOK_MAX_EVENT_AGE_SECONDS: '0' }),
    }),
    path: '/api/v1/webhooks/github',
    okStatus: 202,
    ...(caveats(built, context.cpuProfile !== undefined)),
  };
}

function caveats(built: boolean, profiled: boolean): { caveat?: string } {
  const notes = [
    ...(built ? [] : ['ran from src/ under tsx (no dist/): its RSS includes ~40 MB of loader']),
    ...(profiled ? ['ran under --cpu-prof: its req/s, latency and RSS include the profiler'] : []),
  ];
  return notes.length > 0 ? { caveat: notes.join('; ') } : {};
}
