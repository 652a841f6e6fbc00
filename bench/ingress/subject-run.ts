import { setTimeout as sleep } from 'node:timers/promises';
import { runLoadTest, summariseLatencies, type LatencySummary } from '../harness/load-test.js';
import { machineCpu, processCpu, type CpuTime, type MemoryUsage } from '../harness/proc-stats.js';
import { startServerProcess, type ServerProcess } from '../harness/server-process.js';
import type { BenchSubject } from './bench-subjects.js';
import type { WebhookFixture } from './webhook-fixture.js';

export interface SubjectRunOptions {
  subject: BenchSubject;
  fixture: WebhookFixture;
  connections: number;
  /** Checks the answer to one request sent before any load; throws if it is wrong. */
  checkFirstAnswer?: (body: string) => void;
  /**
   * How many deliveries the server has taken in so far (messages in the stream, handler calls).
   * When given, the measured slices' correct answers must equal the increase exactly.
   */
  countDeliveries?: (port: number) => Promise<number>;
  /** Another process doing this subject's work (the nats-server), whose CPU is reported too. */
  companionPid?: number;
}

/** CPU per answer over the measured slices, in ms (user + system). */
export interface CpuPerRequest {
  server: number;
  /** autocannon, in this process: if it nears 1000 ms/s, the client is the ceiling. */
  client: number;
  companion?: number;
  /** Share of all cores busy on the whole machine (other work included) while measuring. */
  machineBusyPercent: number;
}

export interface SubjectMeasurement {
  subject: BenchSubject['id'];
  label: string;
  command: string;
  caveat?: string;
  warmup: { seconds: number; responses: number; requestsPerSecond: number; okAnswers: number };
  slices: number;
  durationSeconds: number;
  responses: number;
  requestsPerSecond: number;
  /** Each measured slice's req/s, in order: slice i of every subject ran in the same round. */
  sliceRequestsPerSecond: number[];
  latencyMs: LatencySummary;
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Answers with the subject's correct status in the measured slices. */
  okAnswers: number;
  memory: MemoryUsage;
  cpuMsPerRequest: CpuPerRequest;
  /** Deliveries taken in during the measured slices, when the subject can count them. */
  deliveriesTaken?: number;
  /** Deliveries taken in for warm-up requests cut off when the warm-up stopped (≤ connections). */
  warmupCutOff?: number;
  /** The measured slices on CLOCK_MONOTONIC, in µs (the clock of V8 CPU profiles). */
  windows: Array<{ startUs: number; endUs: number }>;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/** A subject's server, alive across the whole bench so its slices can be interleaved with others'. */
export interface SubjectRun {
  readonly subject: BenchSubject;
  /** Unmeasured load for `seconds`; its rate sizes the measured slices. */
  warmUp(seconds: number): Promise<void>;
  /** One measured slice of about `seconds`: as many requests as the last rate gives, all answered. */
  slice(seconds: number): Promise<void>;
  /** Reads the counters and memory, stops the server (SIGTERM) and returns everything measured. */
  finish(): Promise<SubjectMeasurement>;
  /** Stops the server if `finish` did not. */
  abort(): Promise<void>;
}

/**
 * Starts a subject in its own process and checks one request. Measuring is split into slices
 * so several subjects can take turns and share the machine's (noisy) conditions; each slice is
 * an `amount` run, so every request sent is answered and can be matched against what the
 * server took in. Peak RSS is the process's VmHWM, read just before it is stopped.
 */
export async function startSubjectRun(options: SubjectRunOptions): Promise<SubjectRun> {
  const { subject, fixture, connections } = options;
  const server: ServerProcess = await startServerProcess({
    name: subject.label,
    command: subject.command,
    args: subject.args,
    env: subject.env,
    cwd: subject.cwd,
    // Ours opens its port before NATS and PostgreSQL are reached.
    ...(subject.id.startsWith('ours') ? { readyPath: '/health/ready' } : {}),
  });
  const { port } = server;
  let stopped: SubjectMeasurement['exit'] | undefined;
  const stop = async () => (stopped ??= await server.stop());
  try {
    const url = `http://127.0.0.1:${port}${subject.path}`;
    const firstDelivery = fixture.nextDelivery();
    const first = await fetch(url, {
      method: 'POST',
      headers: { ...fixture.headers, 'x-github-delivery': firstDelivery.deliveryId, 'x-hub-signature-256': firstDelivery.signature },
      body: firstDelivery.body,
    });
    const firstBody = await first.text();
    if (first.status !== subject.okStatus) {
      throw new Error(`${subject.label} answered ${first.status} to a valid delivery: ${firstBody}\n${server.output()}`);
    }
    options.checkFirstAnswer?.(firstBody);

    const load = {
      url,
      connections,
      method: 'POST' as const,
      headers: fixture.headers,
      body: fixture.body,
      perRequest: () => {
        const delivery = fixture.nextDelivery();
        return { headers: { 'x-github-delivery': delivery.deliveryId, 'x-hub-signature-256': delivery.signature }, body: delivery.body };
      },
    };
    const count = options.countDeliveries ? () => settledCount(() => options.countDeliveries!(port)) : undefined;
    const latencies: number[] = [];
    const statusCounts: Record<string, number> = {};
    const windows: SubjectMeasurement['windows'] = [];
    const sliceRates: number[] = [];
    const cpu = { server: 0, client: 0, companion: 0, machineBusy: 0, machineTotal: 0 };
    let warmup: SubjectMeasurement['warmup'] | undefined;
    // Requests per second the next slice is sized by: the warm-up's, then the last slice's.
    let rate = 0;
    let countBefore = 0;
    let measured = { seconds: 0, responses: 0, non2xx: 0, errors: 0, timeouts: 0, slices: 0 };

    return {
      subject,
      async warmUp(seconds) {
        const result = await runLoadTest({ ...load, durationSeconds: seconds });
        warmup = {
          seconds: result.durationSeconds,
          responses: result.responses,
          requestsPerSecond: result.requestsPerSecond,
          okAnswers: result.statusCounts[String(subject.okStatus)] ?? 0,
        };
        rate = result.requestsPerSecond;
        if (count) countBefore = await count();
      },
      async slice(seconds) {
        if (!warmup) throw new Error('warmUp() first');
        const amount = Math.max(connections * 5, Math.round(rate * seconds));
        const before = snapshot(server.pid, options.companionPid);
        const result = await runLoadTest({ ...load, amount, onLatency: (ms) => latencies.push(ms) });
        const after = snapshot(server.pid, options.companionPid);
        windows.push({ startUs: before.monotonicUs, endUs: after.monotonicUs });
        rate = result.requestsPerSecond;
        sliceRates.push(result.requestsPerSecond);
        cpu.server += spent(before.server, after.server);
        cpu.client += spent(before.client, after.client);
        if (before.companion && after.companion) cpu.companion += spent(before.companion, after.companion);
        cpu.machineBusy += after.machine.busyMs - before.machine.busyMs;
        cpu.machineTotal += after.machine.totalMs - before.machine.totalMs;
        for (const [status, n] of Object.entries(result.statusCounts)) statusCounts[status] = (statusCounts[status] ?? 0) + n;
        measured = {
          seconds: measured.seconds + result.durationSeconds,
          responses: measured.responses + result.responses,
          non2xx: measured.non2xx + result.non2xx,
          errors: measured.errors + result.errors,
          timeouts: measured.timeouts + result.timeouts,
          slices: measured.slices + 1,
        };
      },
      async finish() {
        if (!warmup) throw new Error('warmUp() first');
        const countAfter = count ? await count() : 0;
        const memory = server.memory();
        const exit = await stop();
        const perRequest = (ms: number) => (measured.responses > 0 ? ms / measured.responses : 0);
        return {
          subject: subject.id,
          label: subject.label,
          command: [subject.command, ...subject.args].join(' '),
          ...(subject.caveat ? { caveat: subject.caveat } : {}),
          warmup,
          slices: measured.slices,
          durationSeconds: measured.seconds,
          responses: measured.responses,
          requestsPerSecond: measured.seconds > 0 ? measured.responses / measured.seconds : 0,
          sliceRequestsPerSecond: sliceRates,
          latencyMs: summariseLatencies(latencies),
          statusCounts,
          non2xx: measured.non2xx,
          errors: measured.errors,
          timeouts: measured.timeouts,
          okAnswers: statusCounts[String(subject.okStatus)] ?? 0,
          memory,
          cpuMsPerRequest: {
            server: perRequest(cpu.server),
            client: perRequest(cpu.client),
            ...(options.companionPid !== undefined ? { companion: perRequest(cpu.companion) } : {}),
            machineBusyPercent: cpu.machineTotal > 0 ? (100 * cpu.machineBusy) / cpu.machineTotal : 0,
          },
          ...(count ? { deliveriesTaken: countAfter - countBefore, warmupCutOff: countBefore - 1 - warmup.okAnswers } : {}),
          windows,
          exit,
        };
      },
      async abort() {
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function snapshot(pid: number, companionPid: number | undefined) {
  const client = process.cpuUsage();
  let companion: CpuTime | undefined;
  try {
    companion = companionPid === undefined ? undefined : processCpu(companionPid);
  } catch {
    companion = undefined;
  }
  return {
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
    server: processCpu(pid),
    client: { userMs: client.user / 1000, systemMs: client.system / 1000 },
    companion,
    machine: machineCpu(),
  };
}

function spent(before: CpuTime, after: CpuTime): number {
  return after.userMs + after.systemMs - (before.userMs + before.systemMs);
}

/** Reads a count until two reads 300 ms apart agree: requests cut off by a stopped load finish first. */
async function settledCount(read: () => Promise<number>): Promise<number> {
  let previous = await read();
  for (let i = 0; i < 20; i++) {
    await sleep(300);
    const current = await read();
    if (current === previous) return current;
    previous = current;
  }
  return previous;
}
