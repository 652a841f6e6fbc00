import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadTestResult } from '../harness/load-test.js';
import type { CpuTime } from '../harness/proc-stats.js';
import type { DistinctPullRequests } from './distinct-pull-requests.js';
import type { E2eSubject, E2eTally } from './e2e-subjects.js';
import { answerLog, sendDeliveries } from './send-deliveries.js';

export interface E2eRunOptions {
  subject: E2eSubject;
  /** 1-based, for the report. */
  round: number;
  deliveries: DistinctPullRequests;
  /** Deliveries sent under load (N). */
  count: number;
  connections: number;
  /** How often the database is polled for finished deliveries. */
  pollMs: number;
  /** Give up waiting for the drain after this long (the run then reports what it saw) … */
  timeoutMs: number;
  /** … or once the finished count has not moved for this long. */
  stallMs: number;
  log: (message: string) => void;
}

/** Everything measured for one subject. */
export interface E2eMeasurement {
  subject: E2eSubject['id'];
  label: string;
  round: number;
  count: number;
  /** First request → last delivery finished (poll resolution), or → the timeout. */
  endToEndSeconds: number;
  deliveriesPerSecond: number;
  drained: boolean;
  /** First request → the last time the finished count rose (= endToEndSeconds when drained). */
  lastProgressSeconds: number;
  /** Why the wait ended without every delivery finished. */
  gaveUp?: 'timeout' | 'stalled';
  /** The webhook load while the pipeline drains behind it. */
  load: LoadTestResult;
  /** Every answer's latency in ms, to pool over rounds (not written to the result file). */
  latencies: number[];
  /** First request → last answer. */
  webhookSeconds: number;
  /** Answers / webhookSeconds. */
  webhookRequestsPerSecond: number;
  /** Answers with 202 under load. */
  accepted: number;
  /** Deliveries finished when the load generator returned (just after the last answer). */
  finishedWhenLoadEnded: number;
  peakRssBytes: number;
  /** User + system CPU of the subject's process over the measured window, per delivery. */
  cpuMsPerDelivery: number;
  /** After the drain, including the probe delivery. */
  tally: E2eTally;
  /** Per process (one, or two sharing the consumers): its CPU and its share of the work. */
  instances: E2eInstanceShare[];
  exit?: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** One process's part of a run. */
export interface E2eInstanceShare {
  cpuMs: number;
  /** Webhook requests it answered 202, and events its actors settled (from its /metrics). */
  accepted: number;
  events: number;
  /**
   * Its CPU per delivery's worth of its work: its CPU over (its 202s + its settled events) ×
   * N / (everyone's 202s + events). One process doing everything gives its CPU / N.
   */
  cpuMsPerDelivery: number;
}

/**
 * One subject end to end: start it, send one probe delivery (index 0) and wait until it is
 * finished (the path works before anything is timed), then send N distinct signed deliveries at
 * `connections` while polling PostgreSQL until all N + 1 are finished. The clock starts before
 * the first request. Peak RSS is the process's VmHWM, read before it is stopped.
 */
export async function runE2eSubject(options: E2eRunOptions): Promise<E2eMeasurement> {
  const { subject, deliveries, count, log } = options;
  log(`start ${subject.label}`);
  const started = await subject.start();
  let exit: E2eMeasurement['exit'];
  let closed = false;
  try {
    await sendProbe(started.url, deliveries);
    if (!(await waitFor(() => started.finalCount(), 1, 60_000, options.pollMs))) {
      throw new Error(`${subject.label}: the probe delivery was not finished within 60 s:\n${started.server.output().slice(-3000)}`);
    }
    log(`${subject.label}: probe delivery finished; sending ${count} deliveries at ${options.connections} connections`);

    let next = 1;
    const target = count + 1;
    const cpuBefore = started.servers.map((server) => server.cpu());
    const countsBefore = await Promise.all(started.urls.map(workCounts));
    const t0 = performance.now();
    let doneAt: number | undefined;
    const answers = answerLog(t0);
    let gaveUp: E2eMeasurement['gaveUp'];
    let lastProgressAt = t0;
    const poller = (async () => {
      const deadline = t0 + options.timeoutMs;
      let seen = -1;
      for (;;) {
        const finished = await started.finalCount();
        const now = performance.now();
        if (finished >= target) {
          doneAt = lastProgressAt = now;
          return;
        }
        if (finished !== seen) [seen, lastProgressAt] = [finished, now];
        if (now > deadline || now - lastProgressAt > options.stallMs) {
          gaveUp = now > deadline ? 'timeout' : 'stalled';
          return;
        }
        await sleep(options.pollMs);
      }
    })();
    // With several processes the load is split evenly, as a load balancer in front of them would.
    const shares = started.urls.map((url, index, all) => ({
      url,
      connections: Math.max(1, Math.round(options.connections / all.length)),
      amount: Math.floor(count / all.length) + (index < count % all.length ? 1 : 0),
    }));
    const load = mergeLoadResults(
      await Promise.all(shares.map((share) => sendDeliveries({ ...share, deliveries, next: () => next++, answers }))),
    );
    const finishedWhenLoadEnded = (await started.finalCount()) - 1;
    // First request → last response, measured here: autocannon's own run time ends some time later.
    const webhookSeconds = (answers.lastAnswerAt - t0) / 1000;
    const webhookRequestsPerSecond = webhookSeconds > 0 ? load.responses / webhookSeconds : 0;
    log(
      `${subject.label}: ${load.responses} answered in ${webhookSeconds.toFixed(1)} s (${webhookRequestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${load.latencyMs.p99} ms); ${finishedWhenLoadEnded}/${count} finished by then`,
    );
    await poller;
    const cpuAfter = started.servers.map((server) => server.cpu());
    const countsAfter = await Promise.all(started.urls.map(workCounts));
    const endToEndSeconds = ((doneAt ?? performance.now()) - t0) / 1000;
    const peakRssBytes = Math.max(...started.servers.map((server) => server.memory().peakRssBytes));
    const work = countsAfter.map((after, i) => ({ accepted: after.accepted - countsBefore[i]!.accepted, events: after.events - countsBefore[i]!.events }));
    const totalWork = work.reduce((sum, w) => sum + w.accepted + w.events, 0);
    const instances = work.map((w, i) => {
      const used = cpuMs(cpuAfter[i]!) - cpuMs(cpuBefore[i]!);
      const deliveriesWorth = totalWork > 0 ? ((w.accepted + w.events) * count) / totalWork : 0;
      return { cpuMs: used, ...w, cpuMsPerDelivery: deliveriesWorth > 0 ? used / deliveriesWorth : 0 };
    });
    const cpuUsed = instances.reduce((sum, instance) => sum + instance.cpuMs, 0);
    const tally = await started.tally();
    log(`${subject.label}: ${doneAt ? 'drained' : `GAVE UP (${gaveUp})`} after ${endToEndSeconds.toFixed(1)} s; peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB`);
    if (started.servers.length > 1) {
      log(`${subject.label}: per process ${instances.map((s) => `${s.accepted} × 202, ${s.events} events, ${(s.cpuMs / 1000).toFixed(1)} s CPU = ${s.cpuMsPerDelivery.toFixed(2)} ms/delivery`).join('; ')}`);
    }
    if (gaveUp) log(`${subject.label}: ${JSON.stringify(tally)}; its output ends:\n${started.servers.map((server) => server.output().slice(-3000)).join('\n')}`);
    closed = true;
    exit = await started.close();
    return {
      subject: subject.id,
      label: subject.label,
      round: options.round,
      count,
      endToEndSeconds,
      deliveriesPerSecond: count / endToEndSeconds,
      drained: doneAt !== undefined,
      lastProgressSeconds: (lastProgressAt - t0) / 1000,
      ...(gaveUp ? { gaveUp } : {}),
      load,
      latencies: answers.latencies,
      webhookSeconds,
      webhookRequestsPerSecond,
      accepted: load.statusCounts['202'] ?? 0,
      finishedWhenLoadEnded,
      peakRssBytes,
      cpuMsPerDelivery: cpuUsed > 0 ? cpuUsed / count : 0,
      tally,
      instances,
      exit,
    };
  } finally {
    if (!closed) await started.close();
  }
}

function cpuMs(cpu: CpuTime): number {
  return cpu.userMs + cpu.systemMs;
}

async function sendProbe(url: string, deliveries: DistinctPullRequests): Promise<void> {
  const probe = deliveries.delivery(0);
  const response = await fetch(url, { method: 'POST', headers: probe.headers, body: probe.body });
  if (response.status !== 202) throw new Error(`probe delivery to ${url}: ${response.status} ${await response.text()}`);
}

async function waitFor(read: () => Promise<number>, target: number, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await read()) >= target) return true;
    await sleep(pollMs);
  }
  return false;
}

/** One load generator per process, as one: counts summed, rates over the longest run (latencies are pooled by the caller). */
function mergeLoadResults(results: LoadTestResult[]): LoadTestResult {
  if (results.length === 1) return results[0]!;
  const sum = (value: (r: LoadTestResult) => number) => results.reduce((total, r) => total + value(r), 0);
  const durationSeconds = Math.max(...results.map((r) => r.durationSeconds));
  const statusCounts: Record<string, number> = {};
  for (const r of results) for (const [status, n] of Object.entries(r.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + n;
  const responses = sum((r) => r.responses);
  const worst = (pick: (l: LoadTestResult['latencyMs']) => number) => Math.max(...results.map((r) => pick(r.latencyMs)));
  return {
    durationSeconds,
    sent: sum((r) => r.sent),
    responses,
    requestsPerSecond: durationSeconds > 0 ? responses / durationSeconds : 0,
    // The log line's percentiles: the worst process's (the table pools every latency).
    latencyMs: { p50: worst((l) => l.p50), p90: worst((l) => l.p90), p99: worst((l) => l.p99), max: worst((l) => l.max), mean: worst((l) => l.mean) },
    statusCounts,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
}

/**
 * What a process reports on /metrics: webhook requests answered 202 and events its actors
 * settled (every actor, every outcome but `retry`). The reference has no /metrics: zeros.
 */
async function workCounts(webhookUrl: string): Promise<{ accepted: number; events: number }> {
  const text = await fetch(new URL('/metrics', webhookUrl)).then((r) => (r.ok ? r.text() : ''), () => '');
  let accepted = 0;
  let events = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('orchestrator_webhook_requests_total{') && line.includes('outcome="accepted"')) accepted += value;
    else if (line.startsWith('orchestrator_events_processed_total{') && !line.includes('outcome="retry"')) events += value;
  }
  return { accepted, events };
}
