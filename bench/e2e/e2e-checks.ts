import type { BenchCheck, BenchRow } from '../harness/bench-result.js';
import type { E2eMeasurement } from './e2e-run.js';
import { summariseE2e, type E2eSummary } from './e2e-summary.js';
import type { OctokitWebhookMeasurement, OctokitWebhookSummary } from './octokit-webhook-run.js';

/**
 * Issue 8's end-to-end targets, at 32 connections; the webhook endpoint, while the actors drain,
 * at 0.6× or more of @octokit/webhooks taking the same deliveries.
 */
export const E2E_TARGETS = { minReferenceRatio: 0.3, maxP99Ms: 50, maxPeakRssBytes: 150 * 1e6, minOctokitWebhookRatio: 0.6 } as const;

/**
 * Issue 10's two-instance targets: end to end not lower than one instance's on the same machine,
 * and each instance's CPU per delivery within ±25 % of one instance's (the same cost per event).
 */
export const SCALE_OUT_TARGETS = { minTwoInstanceRatio: 1, maxCpuDeviation: 0.25 } as const;

/**
 * Ours / reference, for end-to-end deliveries/s and for webhook req/s while draining; two
 * instances / one; ours' webhook req/s while draining / @octokit/webhooks' req/s.
 */
export interface E2eRatios {
  endToEnd?: number;
  webhookRequests?: number;
  twoInstances?: number;
  webhookToOctokit?: number;
}

export function e2eRatios(ours: E2eSummary | undefined, reference: E2eSummary | undefined, two?: E2eSummary, octokit?: OctokitWebhookSummary): E2eRatios {
  return {
    ...(ours && octokit && octokit.requestsPerSecond > 0 ? { webhookToOctokit: ours.webhookRequestsPerSecond / octokit.requestsPerSecond } : {}),
    ...(ours && reference
      ? { endToEnd: ours.deliveriesPerSecond / reference.deliveriesPerSecond, webhookRequests: ours.webhookRequestsPerSecond / reference.webhookRequestsPerSecond }
      : {}),
    ...(ours && two ? { twoInstances: two.deliveriesPerSecond / ours.deliveriesPerSecond } : {}),
  };
}

/** One subject (all its rounds) as a row of the summary table. */
export function e2eRow(m: E2eSummary, ratios: E2eRatios): BenchRow {
  return {
    subject: m.label,
    rounds: m.rounds,
    deliveries: m.deliveries,
    'end-to-end s': Math.round(m.endToEndSeconds * 100) / 100,
    'deliveries/s': Math.round(m.deliveriesPerSecond),
    'webhook req/s': Math.round(m.webhookRequestsPerSecond),
    'p50 ms': m.latencyMs.p50,
    'p99 ms': m.latencyMs.p99,
    'finished at load end': m.finishedWhenLoadEnded,
    'last progress s': Math.round(m.lastProgressSeconds * 100) / 100,
    'peak RSS MB': Math.round(m.peakRssBytes / 1e5) / 10,
    'CPU ms/delivery': Math.round(m.cpuMsPerDelivery * 100) / 100,
    'CPU ms/delivery per process': m.instanceCpuMsPerDelivery.length > 1 ? m.instanceCpuMsPerDelivery.map((ms) => ms.toFixed(2)).join(' / ') : '',
    'ratio e2e':
      m.subject === 'ours' && ratios.endToEnd !== undefined
        ? `${ratios.endToEnd.toFixed(2)}× ref`
        : m.subject === 'ours-x2' && ratios.twoInstances !== undefined
          ? `${ratios.twoInstances.toFixed(2)}× one`
          : '',
  };
}

/** Every round of a subject must answer 202 to everything and finish each delivery exactly once (probe included). */
function completeness(m: E2eMeasurement, rounds: number): BenchCheck[] {
  const expected = m.count + 1;
  const unit = m.subject === 'reference' ? 'row' : 'pull_request_analysis task';
  const prefix = `${m.subject === 'ours' ? '' : `${m.label}: `}${rounds > 1 ? `round ${m.round}: ` : ''}`;
  return [
    {
      name: `${prefix}every delivery answered 202`,
      target: `${m.count} × 202, 0 errors, 0 timeouts`,
      actual: `${m.accepted} × 202, ${m.load.non2xx} non-2xx, ${m.load.errors} errors, ${m.load.timeouts} timeouts`,
      passed: m.accepted === m.count && m.load.errors === 0 && m.load.timeouts === 0,
    },
    {
      name: `${prefix}every delivery exactly one ${unit}`,
      target: `${expected} ${unit}s for ${expected} deliveries and ${expected} pull requests`,
      actual: `${m.tally.total} for ${m.tally.distinctDeliveries} deliveries and ${m.tally.distinctPullRequests} pull requests`,
      passed: m.tally.total === expected && m.tally.distinctDeliveries === expected && m.tally.distinctPullRequests === expected,
    },
    {
      name: `${prefix}none lost: every one finished`,
      target: `${expected} finished${m.subject === 'reference' ? '' : ' (not queued, running or retrying)'}`,
      actual: `${m.tally.final} finished${m.gaveUp ? ` (gave up: ${m.gaveUp})` : ''}${m.tally.statuses ? ` ${JSON.stringify(m.tally.statuses)}` : ''}`,
      passed: m.drained && m.tally.final === expected,
    },
  ];
}

/**
 * The targets for ours (over all rounds), every round's completeness, and the validity of the
 * reference (its figure means nothing if it lost work).
 */
export function evaluateE2e(measurements: readonly E2eMeasurement[], connections: number): BenchCheck[] {
  const ours = summariseE2e(measurements, 'ours');
  const reference = summariseE2e(measurements, 'reference');
  const two = summariseE2e(measurements, 'ours-x2');
  const rounds = Math.max(ours?.rounds ?? 0, reference?.rounds ?? 0, two?.rounds ?? 0);
  const checks: BenchCheck[] = [];
  for (const m of measurements.filter((m) => m.subject === 'reference')) checks.push(...completeness(m, rounds));
  if (two) checks.push(...scaleOutChecks(measurements, two, ours, rounds));
  if (!ours) return checks;
  const ratio = e2eRatios(ours, reference).endToEnd;
  checks.push({
    name: 'end to end vs the naive reference',
    target: `≥ ${E2E_TARGETS.minReferenceRatio}×`,
    actual: ratio === undefined ? 'reference not measured' : `${ratio.toFixed(2)}×`,
    passed: ratio !== undefined && ratio >= E2E_TARGETS.minReferenceRatio,
  });
  checks.push({
    name: `webhook p99 while draining, ${connections} connections`,
    target: `< ${E2E_TARGETS.maxP99Ms} ms${connections === 32 ? '' : ' (defined at 32)'}`,
    actual: `${ours.latencyMs.p99} ms`,
    passed: ours.latencyMs.p99 < E2E_TARGETS.maxP99Ms,
  });
  checks.push({
    name: 'peak RSS (VmHWM)',
    target: `< ${E2E_TARGETS.maxPeakRssBytes / 1e6} MB`,
    actual: `${(ours.peakRssBytes / 1e6).toFixed(1)} MB`,
    passed: ours.peakRssBytes < E2E_TARGETS.maxPeakRssBytes,
  });
  for (const m of measurements.filter((m) => m.subject === 'ours')) {
    checks.push(...completeness(m, rounds));
    checks.push({
      name: `${rounds > 1 ? `round ${m.round}: ` : ''}graceful exit on SIGTERM`,
      target: 'exit code 0',
      actual: !m.exit ? 'unknown' : m.exit.signal ? `killed by ${m.exit.signal}` : `exit code ${m.exit.code}`,
      passed: m.exit?.code === 0,
    });
  }
  return checks;
}

/** Two instances sharing the consumers against one, in the same run: faster, same CPU per event, nothing twice. */
function scaleOutChecks(measurements: readonly E2eMeasurement[], two: E2eSummary, one: E2eSummary | undefined, rounds: number): BenchCheck[] {
  const checks: BenchCheck[] = [];
  const ratio = one ? two.deliveriesPerSecond / one.deliveriesPerSecond : undefined;
  checks.push({
    name: 'two instances: end to end vs one instance',
    target: `≥ ${SCALE_OUT_TARGETS.minTwoInstanceRatio}×`,
    actual: ratio === undefined ? 'one instance not measured' : `${ratio.toFixed(2)}× (${Math.round(two.deliveriesPerSecond)} vs ${Math.round(one!.deliveriesPerSecond)} deliveries/s)`,
    passed: ratio !== undefined && ratio >= SCALE_OUT_TARGETS.minTwoInstanceRatio,
  });
  const deviations = one ? two.instanceCpuMsPerDelivery.map((ms) => ms / one.cpuMsPerDelivery - 1) : [];
  checks.push({
    name: 'two instances: CPU per delivery in each vs one instance',
    target: `within ±${SCALE_OUT_TARGETS.maxCpuDeviation * 100} %`,
    actual: one
      ? `${two.instanceCpuMsPerDelivery.map((ms) => ms.toFixed(2)).join(' and ')} vs ${one.cpuMsPerDelivery.toFixed(2)} ms (${deviations.map((d) => `${d >= 0 ? '+' : ''}${(d * 100).toFixed(0)} %`).join(', ')})`
      : 'one instance not measured',
    passed: deviations.length > 1 && deviations.every((d) => Math.abs(d) <= SCALE_OUT_TARGETS.maxCpuDeviation),
  });
  checks.push({
    name: 'two instances: nothing processed twice',
    target: '0 tasks tried twice, 0 deliveries seen twice',
    actual: String(two.reprocessed),
    passed: two.reprocessed === 0,
  });
  for (const m of measurements.filter((m) => m.subject === 'ours-x2')) {
    checks.push(...completeness(m, rounds));
    checks.push({
      name: `${m.label}: ${rounds > 1 ? `round ${m.round}: ` : ''}graceful exit of both on SIGTERM`,
      target: 'exit code 0',
      actual: !m.exit ? 'unknown' : m.exit.signal ? `killed by ${m.exit.signal}` : `exit code ${m.exit.code}`,
      passed: m.exit?.code === 0,
    });
  }
  return checks;
}

/** @octokit/webhooks as a row of the summary table: a webhook rate only (it stores nothing). */
export function octokitRow(octokit: OctokitWebhookSummary): BenchRow {
  return {
    subject: '@octokit/webhooks (webhook only, no queue)',
    rounds: octokit.rounds,
    deliveries: octokit.deliveries,
    'webhook req/s': Math.round(octokit.requestsPerSecond),
    'p50 ms': octokit.latencyMs.p50,
    'p99 ms': octokit.latencyMs.p99,
  };
}

/**
 * The yardstick must have taken every delivery (200, one handler call each, probe included), or
 * its rate means nothing; then ours' webhook req/s while its actors drain is held against it.
 */
export function evaluateOctokitYardstick(runs: readonly OctokitWebhookMeasurement[], ratios: E2eRatios): BenchCheck[] {
  if (runs.length === 0) return [];
  const checks: BenchCheck[] = runs.map((run) => ({
    name: `@octokit/webhooks${runs.length > 1 ? `: round ${run.round}` : ''}: every delivery answered 200 and handled`,
    target: `${run.count} × 200, ${run.count + 1} handled`,
    actual: `${run.ok} × 200, ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts; ${run.received} handled`,
    passed: run.ok === run.count && run.errors === 0 && run.timeouts === 0 && run.received === run.count + 1,
  }));
  if (ratios.webhookToOctokit !== undefined) {
    checks.push({
      name: 'webhook req/s while the actors drain vs @octokit/webhooks',
      target: `≥ ${E2E_TARGETS.minOctokitWebhookRatio}×`,
      actual: `${ratios.webhookToOctokit.toFixed(2)}×`,
      passed: ratios.webhookToOctokit >= E2E_TARGETS.minOctokitWebhookRatio,
    });
  }
  return checks;
}
