import type { BenchCheck } from '../harness/bench-result.js';
import type { SubjectMeasurement } from './subject-run.js';

/**
 * Issue 2's targets for our ingress, at 32 connections; issue 15's: the replay check and the
 * event-age rule cost at most 5 % of the ingress's req/s (ours ≥ 0.95 × ours with them off).
 */
export const INGRESS_TARGETS = { minOctokitRatio: 0.6, maxP99Ms: 50, maxPeakRssBytes: 150 * 1e6, minChecksOnToOff: 0.95 } as const;

export interface IngressRatios {
  oursToOctokit?: number;
  oursToBare?: number;
  octokitToBare?: number;
  /** Ours with the checks off, against octokit. */
  uncheckedToOctokit?: number;
  /** Ours over ours with the checks off over the whole run: 1 means the checks cost nothing. */
  checksOnToOff?: number;
  /**
   * The median, over slice rounds, of ours over ours with the checks off in the same round. A
   * burst of other work on a shared machine hits a round or two, and the median ignores them.
   */
  checksOnToOffMedian?: number;
}

/** Requests/second ratios between the subjects measured in this run. */
export function ingressRatios(measurements: readonly SubjectMeasurement[]): IngressRatios {
  const rps = (id: SubjectMeasurement['subject']) => measurements.find((m) => m.subject === id)?.requestsPerSecond;
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : undefined);
  const ours = rps('ours');
  const unchecked = rps('ours-unchecked');
  // On vs off over both processes of each configuration (started A B B A), when there are two.
  const onProcesses = measurements.filter((m) => m.subject === 'ours' || m.subject === 'ours-2');
  const offProcesses = measurements.filter((m) => m.subject === 'ours-unchecked' || m.subject === 'ours-unchecked-2');
  const octokit = rps('octokit');
  const bare = rps('bare');
  const entries = {
    oursToOctokit: ratio(ours, octokit),
    oursToBare: ratio(ours, bare),
    octokitToBare: ratio(octokit, bare),
    uncheckedToOctokit: ratio(unchecked, octokit),
    checksOnToOff: ratio(combinedRate(onProcesses), combinedRate(offProcesses)),
    checksOnToOffMedian: medianPairedRatio(onProcesses, offProcesses),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as IngressRatios;
}

/**
 * The targets and the correctness checks: baselines must answer correctly (or their numbers mean
 * nothing); ours must answer 202 to everything, store one message per 202 with the exact bytes,
 * and stop cleanly.
 */
export function evaluateIngress(
  measurements: readonly SubjectMeasurement[],
  connections: number,
  lastMessageIntact: boolean | undefined,
): BenchCheck[] {
  const checks: BenchCheck[] = [];
  for (const m of measurements.filter((m) => m.subject === 'bare' || m.subject === 'octokit')) {
    const handled = m.deliveriesTaken === undefined || m.deliveriesTaken === m.okAnswers;
    checks.push({
      name: `${m.label}: every answer correct (baseline valid)`,
      target: `${m.responses} correct answers, 0 errors${m.deliveriesTaken === undefined ? '' : ', one handler call each'}`,
      actual:
        `${m.okAnswers} correct, ${m.non2xx} non-2xx, ${m.errors} errors` +
        (m.deliveriesTaken === undefined ? '' : `, ${m.deliveriesTaken} handler calls`),
      passed: m.okAnswers === m.responses && m.errors === 0 && handled,
    });
  }
  for (const other of measurements.filter((m) => m.subject === 'ours-unchecked' || m.subject.endsWith('-2'))) {
    checks.push(...storedOnePerAnswer(other, `${other.label}: `));
  }
  const unchecked = measurements.find((m) => m.subject === 'ours-unchecked');
  const ours = measurements.find((m) => m.subject === 'ours');
  if (!ours) return checks;
  const ratio = ingressRatios(measurements).oursToOctokit;
  const { checksOnToOff: onToOff, checksOnToOffMedian: median } = ingressRatios(measurements);
  if (unchecked) {
    // The issue's figure is the whole run's; the median of paired slices shows how much one burst of
    // other work on a shared machine moved it.
    checks.push({
      name: 'req/s with the replay and event-age checks on vs off',
      target: `≥ ${INGRESS_TARGETS.minChecksOnToOff}×`,
      actual: onToOff === undefined ? 'not measured' : `${onToOff.toFixed(2)}×${median === undefined ? '' : ` (median of paired slices ${median.toFixed(2)}×)`}`,
      passed: onToOff !== undefined && onToOff >= INGRESS_TARGETS.minChecksOnToOff,
    });
  }
  checks.push({
    name: 'req/s vs @octokit/webhooks',
    target: `≥ ${INGRESS_TARGETS.minOctokitRatio}×`,
    actual: ratio === undefined ? 'octokit not measured' : `${ratio.toFixed(2)}×`,
    passed: ratio !== undefined && ratio >= INGRESS_TARGETS.minOctokitRatio,
  });
  checks.push({
    name: `p99 latency at ${connections} connections`,
    target: `< ${INGRESS_TARGETS.maxP99Ms} ms${connections === 32 ? '' : ' (defined at 32)'}`,
    actual: `${ours.latencyMs.p99} ms`,
    passed: ours.latencyMs.p99 < INGRESS_TARGETS.maxP99Ms,
  });
  checks.push({
    name: 'peak RSS',
    target: `< ${INGRESS_TARGETS.maxPeakRssBytes / 1e6} MB`,
    actual: `${(ours.memory.peakRssBytes / 1e6).toFixed(1)} MB`,
    passed: ours.memory.peakRssBytes < INGRESS_TARGETS.maxPeakRssBytes,
  });
  checks.push(...storedOnePerAnswer(ours, ''));
  checks.push({
    name: 'stored payload is the exact bytes sent',
    target: 'last message = request body',
    actual: lastMessageIntact ? 'identical' : 'different or missing',
    passed: lastMessageIntact === true,
  });
  checks.push({
    name: 'graceful exit on SIGTERM',
    target: 'exit code 0',
    actual: ours.exit.signal ? `killed by ${ours.exit.signal}` : `exit code ${ours.exit.code}`,
    passed: ours.exit.code === 0,
  });
  return checks;
}

/** Requests over seconds, summed over the processes of one configuration. */
function combinedRate(processes: readonly SubjectMeasurement[]): number | undefined {
  const seconds = processes.reduce((sum, m) => sum + m.durationSeconds, 0);
  return processes.length > 0 && seconds > 0 ? processes.reduce((sum, m) => sum + m.responses, 0) / seconds : undefined;
}

/** Per slice round, the summed req/s of the `a` processes over the `b` processes; the median. */
function medianPairedRatio(a: readonly SubjectMeasurement[], b: readonly SubjectMeasurement[]): number | undefined {
  const slices = a[0]?.sliceRequestsPerSecond.length ?? 0;
  if (slices === 0 || a.length !== b.length || [...a, ...b].some((m) => m.sliceRequestsPerSecond.length !== slices)) return undefined;
  const sumAt = (processes: readonly SubjectMeasurement[], i: number) => processes.reduce((sum, m) => sum + m.sliceRequestsPerSecond[i]!, 0);
  const ratios = Array.from({ length: slices }, (_, i) => sumAt(a, i) / sumAt(b, i)).filter(Number.isFinite).sort((x, y) => x - y);
  if (ratios.length === 0) return undefined;
  const mid = Math.floor(ratios.length / 2);
  return ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

/** Every answer 202, and the GITHUB stream gained exactly one message per 202. */
function storedOnePerAnswer(m: SubjectMeasurement, prefix: string): BenchCheck[] {
  return [
    {
      name: `${prefix}every answer 202`,
      target: '0 non-2xx, 0 errors, 0 timeouts',
      actual: `${m.okAnswers}/${m.responses} were 202; ${m.non2xx} non-2xx, ${m.errors} errors, ${m.timeouts} timeouts`,
      passed: m.okAnswers === m.responses && m.errors === 0 && m.timeouts === 0,
    },
    {
      name: `${prefix}GITHUB stream holds one message per 202`,
      target: `+${m.okAnswers} messages`,
      actual: `+${m.deliveriesTaken} messages`,
      passed: m.deliveriesTaken === m.okAnswers,
    },
  ];
}
