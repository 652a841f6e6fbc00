import { join } from 'node:path';
import { childEnv } from '../harness/child-env.js';
import { summariseLatencies, type LatencySummary } from '../harness/load-test.js';
import { startServerProcess } from '../harness/server-process.js';
import type { DistinctPullRequests } from './distinct-pull-requests.js';
import { answerLog, sendDeliveries } from './send-deliveries.js';

/**
 * The webhook endpoint's yardstick: @octokit/webhooks' createNodeMiddleware on node:http, as a
 * Probot user runs it (bench/ingress/octokit-server.mjs), taking the same N signed deliveries at
 * the same connections as ours. It verifies and dispatches, and stores nothing, so it has a
 * webhook rate only: ours' webhook req/s while its actors drain is read against it.
 */
export interface OctokitWebhookMeasurement {
  round: number;
  count: number;
  /** Answers / first request → last answer. */
  webhookSeconds: number;
  requestsPerSecond: number;
  latencies: number[];
  responses: number;
  /** Answers with 200 (octokit's success), and handler calls the server counted (probe included). */
  ok: number;
  received: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface OctokitWebhookRunOptions {
  root: string;
  secret: string;
  round: number;
  deliveries: DistinctPullRequests;
  count: number;
  connections: number;
  log: (message: string) => void;
}

const PATH = '/api/github/webhooks';

export async function runOctokitWebhooks(options: OctokitWebhookRunOptions): Promise<OctokitWebhookMeasurement> {
  const { deliveries, count, log } = options;
  const server = await startServerProcess({
    name: '@octokit/webhooks',
    command: process.execPath,
    args: [join(options.root, 'bench/ingress/octokit-server.mjs')],
    env: childEnv({ PORT: '0', BENCH_SECRET: options.secret }),
    cwd: options.root,
  });
  try {
    const url = `http://127.0.0.1:${server.port}${PATH}`;
    // The same probe as ours gets: the path works (signature accepted) before anything is timed.
    const probe = deliveries.delivery(0);
    const probeStatus = await fetch(url, { method: 'POST', headers: probe.headers, body: probe.body }).then((r) => r.status);
    if (probeStatus !== 200) throw new Error(`@octokit/webhooks answered the probe delivery ${probeStatus}:\n${server.output().slice(-2000)}`);

    let next = 1;
    const t0 = performance.now();
    const answers = answerLog(t0);
    const load = await sendDeliveries({ url, connections: options.connections, amount: count, deliveries, next: () => next++, answers });
    const webhookSeconds = (answers.lastAnswerAt - t0) / 1000;
    const received = await fetch(`http://127.0.0.1:${server.port}/received`)
      .then((r) => r.json() as Promise<{ received: number }>)
      .then((body) => body.received);
    const requestsPerSecond = webhookSeconds > 0 ? load.responses / webhookSeconds : 0;
    log(`@octokit/webhooks: ${load.responses} answered in ${webhookSeconds.toFixed(1)} s (${requestsPerSecond.toFixed(0)} req/s, p99 ${load.latencyMs.p99} ms)`);
    return {
      round: options.round,
      count,
      webhookSeconds,
      requestsPerSecond,
      latencies: answers.latencies,
      responses: load.responses,
      ok: load.statusCounts['200'] ?? 0,
      received,
      non2xx: load.non2xx,
      errors: load.errors,
      timeouts: load.timeouts,
    };
  } finally {
    await server.stop();
  }
}

/** All rounds: the rate over the summed times, latencies pooled. */
export interface OctokitWebhookSummary {
  rounds: number;
  deliveries: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
}

export function summariseOctokitWebhooks(runs: readonly OctokitWebhookMeasurement[]): OctokitWebhookSummary | undefined {
  if (runs.length === 0) return undefined;
  const seconds = runs.reduce((sum, run) => sum + run.webhookSeconds, 0);
  const answered = runs.reduce((sum, run) => sum + run.responses, 0);
  return {
    rounds: runs.length,
    deliveries: runs.reduce((sum, run) => sum + run.count, 0),
    requestsPerSecond: seconds > 0 ? answered / seconds : 0,
    latencyMs: summariseLatencies(runs.flatMap((run) => run.latencies)),
  };
}
