import autocannon from 'autocannon';

export interface LoadTestOptions {
  url: string;
  connections: number;
  /** Stop after this many seconds (in-flight requests are cut off) … */
  durationSeconds?: number;
  /** … or after exactly this many responses (every request sent is answered or timed out). */
  amount?: number;
  method: 'POST';
  headers: Record<string, string>;
  body: Buffer;
  /** Called for every request; its headers replace or add to `headers`, its body replaces `body` (a delivery of its own). */
  perRequest?: () => { headers: Record<string, string>; body?: Buffer };
  /** Receives every response's latency in ms, so several runs can be pooled into one distribution. */
  onLatency?: (ms: number) => void;
  timeoutSeconds?: number;
}

/** What one autocannon run measured, in plain numbers. */
export interface LoadTestResult {
  /** Wall time of the run, measured here (autocannon rounds its own to 10 ms). */
  durationSeconds: number;
  sent: number;
  responses: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  statusCounts: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Runs autocannon against one URL. Requests/second is responses divided by the run's wall time,
 * which stays right for `amount` runs whose last second is partial (autocannon's own average is
 * over one-second samples).
 */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const perRequest = options.perRequest;
  const started = process.hrtime.bigint();
  let settle!: (error: Error | null, result: autocannon.Result) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    settle = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
      timeout: options.timeoutSeconds ?? 10,
      requests: [
        {
          method: options.method,
          headers: options.headers,
          body: options.body,
          ...(perRequest
            ? {
                setupRequest: (request: autocannon.Request) => {
                  const next = perRequest();
                  return { ...request, headers: { ...request.headers, ...next.headers }, ...(next.body ? { body: next.body } : {}) };
                },
              }
            : {}),
        },
      ],
    },
    (error, result) => settle(error, result),
  );
  const { onLatency } = options;
  if (onLatency) {
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => onLatency(ms));
  }
  const result = await finished;
  const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const statusCounts: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statusCounts[status] = stats.count ?? 0;
  const responses = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  return {
    durationSeconds,
    sent: result.requests.sent,
    responses,
    requestsPerSecond: durationSeconds > 0 ? responses / durationSeconds : 0,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    statusCounts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Percentiles of pooled latencies (nearest rank), in ms. */
export function summariseLatencies(latencies: readonly number[]): LatencySummary {
  if (latencies.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
  return { p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(sorted[sorted.length - 1]!), mean: round(mean) };
}
