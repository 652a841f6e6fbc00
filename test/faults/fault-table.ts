import { formatTable } from '../../bench/harness/format-table.js';
import type { FaultRun } from './run-fault-scenario.js';

/** The suite's one table: a row per scenario, with the figures its verdict is made of. */
export function faultTable(runs: readonly FaultRun[]): string {
  return formatTable(
    runs.map(({ scenario, verdict, passed, faultSeconds }) => ({
      scenario: scenario.name,
      sent: verdict.sent,
      accepted: verdict.accepted,
      processed: verdict.processed,
      duplicates: verdict.duplicates,
      lost: verdict.lost,
      stuck: verdict.stuck,
      unacked: verdict.unacked,
      'dead letters': verdict.deadLetters,
      'codegen runs': verdict.codegenRuns,
      'fault s': faultSeconds === undefined ? '' : Number(faultSeconds.toFixed(1)),
      'recovery s': verdict.recoverySeconds === undefined ? 'never' : Number(verdict.recoverySeconds.toFixed(1)),
      target: scenario.recoveryTargetSeconds === undefined ? '' : `≤ ${scenario.recoveryTargetSeconds}`,
      result: passed ? 'ok' : 'FAIL',
    })),
  );
}
