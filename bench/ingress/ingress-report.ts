import type { BenchCheck, BenchRow } from '../harness/bench-result.js';
import type { CpuProfileSummary } from '../harness/cpu-profile-summary.js';
import { formatTable } from '../harness/format-table.js';
import { ingressRatios } from './ingress-checks.js';
import type { SubjectMeasurement } from './subject-run.js';

/** One subject as a row of the summary table. */
export function toRow(m: SubjectMeasurement): BenchRow {
  const round3 = (value: number) => Math.round(value * 1000) / 1000;
  const cpu = m.cpuMsPerRequest;
  return {
    subject: m.label,
    'req/s': Math.round(m.requestsPerSecond),
    'p50 ms': m.latencyMs.p50,
    'p99 ms': m.latencyMs.p99,
    'max ms': m.latencyMs.max,
    non2xx: m.non2xx,
    errors: m.errors,
    'peak RSS MB': Math.round(m.memory.peakRssBytes / 1e5) / 10,
    requests: m.responses,
    'server CPU ms/req': round3(cpu.server),
    'nats CPU ms/req': cpu.companion === undefined ? '' : round3(cpu.companion),
    'client CPU ms/req': round3(cpu.client),
    'machine busy %': Math.round(cpu.machineBusyPercent),
  };
}

export interface IngressReport {
  measurements: readonly SubjectMeasurement[];
  checks: readonly BenchCheck[];
  passed: boolean;
  profile?: CpuProfileSummary | undefined;
}

/** The human-readable result: the table, the ratios, every check, the profile if any, PASS/FAIL. */
export function printIngressReport(report: IngressReport): void {
  const r = ingressRatios(report.measurements);
  const fmt = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`);
  console.log(`\n${formatTable(report.measurements.map(toRow))}\n`);
  console.log(`req/s ratios (same run): ours/octokit ${fmt(r.oursToOctokit)}  ours/bare ${fmt(r.oursToBare)}  octokit/bare ${fmt(r.octokitToBare)}`);
  if (r.checksOnToOff !== undefined) {
    console.log(
      `replay and event-age checks: on/off ${fmt(r.checksOnToOff)} (median of paired slices ${fmt(r.checksOnToOffMedian)})  checks off/octokit ${fmt(r.uncheckedToOctokit)}`,
    );
  }
  for (const m of report.measurements) if (m.caveat) console.log(`note: ${m.label} ${m.caveat}`);
  const checkRows = report.checks.map((c) => ({ check: c.name, target: c.target, actual: c.actual, '': c.passed ? 'ok' : 'MISSED' }));
  console.log(`\n${formatTable(checkRows)}`);
  const { profile } = report;
  if (profile) {
    console.log(`\nCPU profile of our ingress over the measured slices: ${profile.busyMs} ms busy, ${profile.idleMs} ms idle`);
    console.log(formatTable(profile.packages.slice(0, 15).map((p) => ({ package: p.name, 'self ms': p.selfMs, '% busy': p.percent }))));
    console.log('');
    console.log(formatTable(profile.functions.map((f) => ({ function: f.name, where: f.location, 'self ms': f.selfMs, '% busy': f.percent }))));
  }
  console.log(`\ningress: ${report.passed ? 'PASS' : 'FAIL'}`);
}
