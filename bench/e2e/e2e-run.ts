import { setTimeout as sleep } from 'node:timers/promises';
import { runLoadTest, type LoadTestResult } from '../harness/load-test.js';
import type { CpuTime } from '../harness/proc-stats.js';
import type { DistinctPullRequests } from './distinct-pull-requests.js';
import type { E2eSubject, E2eTally } from './e2e-subjects.js';

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
  exit?: { code: number | null; signal: NodeJS.Signals | null } | undefined;
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
    const cpuBefore = started.server.cpu();
    const t0 = performance.now();
    let doneAt: number | undefined;
    let lastResponseAt = t0;
    const latencies: number[] = [];
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
    const load = await runLoadTest({
      url: started.url,
      connections: options.connections,
      amount: count,
      method: 'POST',
      headers: {},
      body: Buffer.alloc(0),
      perRequest: () => deliveries.delivery(next++),
      onLatency: (ms) => {
        latencies.push(ms);
        lastResponseAt = performance.now();
      },
      timeoutSeconds: 30,
    });
    const finishedWhenLoadEnded = (await started.finalCount()) - 1;
    // First request → last response, measured here: autocannon's own run time ends some time later.
    const webhookSeconds = (lastResponseAt - t0) / 1000;
    const webhookRequestsPerSecond = webhookSeconds > 0 ? load.responses / webhookSeconds : 0;
    log(
      `${subject.label}: ${load.responses} answered in ${webhookSeconds.toFixed(1)} s (${webhookRequestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${load.latencyMs.p99} ms); ${finishedWhenLoadEnded}/${count} finished by then`,
    );
    await poller;
    const cpuAfter = started.server.cpu();
    const endToEndSeconds = ((doneAt ?? performance.now()) - t0) / 1000;
    const peakRssBytes = started.server.memory().peakRssBytes;
    const tally = await started.tally();
    log(`${subject.label}: ${doneAt ? 'drained' : `GAVE UP (${gaveUp})`} after ${endToEndSeconds.toFixed(1)} s; peak RSS ${(peakRssBytes / 1e6).toFixed(0)} MB`);
    if (gaveUp) log(`${subject.label}: ${JSON.stringify(tally)}; its output ends:\n${started.server.output().slice(-3000)}`);
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
      latencies,
      webhookSeconds,
      webhookRequestsPerSecond,
      accepted: load.statusCounts['202'] ?? 0,
      finishedWhenLoadEnded,
      peakRssBytes,
      cpuMsPerDelivery: cpuMs(cpuAfter) - cpuMs(cpuBefore) > 0 ? (cpuMs(cpuAfter) - cpuMs(cpuBefore)) / count : 0,
      tally,
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
