import { summariseLatencies, type LatencySummary } from '../harness/load-test.js';
import type { E2eMeasurement } from './e2e-run.js';
import type { E2eSubjectId } from './e2e-subjects.js';

/** One subject over all its rounds: rates over the summed times, latencies pooled, the worst RSS. */
export interface E2eSummary {
  subject: E2eSubjectId;
  label: string;
  rounds: number;
  /** Deliveries sent under load, over all rounds. */
  deliveries: number;
  endToEndSeconds: number;
  deliveriesPerSecond: number;
  webhookRequestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Summed over rounds: first request → the last time a delivery finished. */
  lastProgressSeconds: number;
  /** Deliveries finished when each round's load ended, summed. */
  finishedWhenLoadEnded: number;
  peakRssBytes: number;
  cpuMsPerDelivery: number;
  /** Per process (by start order), its CPU per delivery's worth of its work, weighted over rounds. */
  instanceCpuMsPerDelivery: number[];
  /** Work done twice (tasks tried again, deliveries seen again), summed over rounds. */
  reprocessed: number;
}

export function summariseE2e(measurements: readonly E2eMeasurement[], subject: E2eSubjectId): E2eSummary | undefined {
  const runs = measurements.filter((m) => m.subject === subject);
  if (runs.length === 0) return undefined;
  const sum = (value: (m: E2eMeasurement) => number) => runs.reduce((total, m) => total + value(m), 0);
  const deliveries = sum((m) => m.count);
  const endToEndSeconds = sum((m) => m.endToEndSeconds);
  const webhookSeconds = sum((m) => m.webhookSeconds);
  return {
    subject,
    label: runs[0]!.label,
    rounds: runs.length,
    deliveries,
    endToEndSeconds,
    deliveriesPerSecond: deliveries / endToEndSeconds,
    webhookRequestsPerSecond: webhookSeconds > 0 ? sum((m) => m.load.responses) / webhookSeconds : 0,
    latencyMs: summariseLatencies(runs.flatMap((m) => m.latencies)),
    lastProgressSeconds: sum((m) => m.lastProgressSeconds),
    finishedWhenLoadEnded: sum((m) => m.finishedWhenLoadEnded),
    peakRssBytes: Math.max(...runs.map((m) => m.peakRssBytes)),
    cpuMsPerDelivery: sum((m) => m.cpuMsPerDelivery * m.count) / deliveries,
    instanceCpuMsPerDelivery: runs[0]!.instances.map((_, i) => sum((m) => (m.instances[i]?.cpuMsPerDelivery ?? 0) * m.count) / deliveries),
    reprocessed: sum((m) => m.tally.reprocessed ?? 0),
  };
}
