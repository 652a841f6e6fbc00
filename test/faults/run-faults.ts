import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildService } from '../../bench/harness/build-service.js';
import { faultScenarios } from './fault-scenarios.js';
import { startFaultStack } from './fault-stack.js';
import { faultTable } from './fault-table.js';
import { runFaultScenario, type FaultRun } from './run-fault-scenario.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `npm run test:faults`: builds dist/ (FAULTS_BUILD=0 skips it), starts a 3-node NATS cluster and
 * a PostgreSQL server of its own, runs every scenario (FAULTS_ONLY=substring[,substring] for some,
 * FAULTS_SCALE=0.5 for fewer deliveries, FAULTS_TIMELINE=1 for
 * where each scenario's recovery time went), prints one table and exits 1 when a scenario failed.
 */
async function main(): Promise<void> {
  const log = (message: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${message}`);
  if (process.env.FAULTS_BUILD !== '0' && !buildService(ROOT, log).ok) throw new Error('npm run build failed');
  const only = process.env.FAULTS_ONLY?.split(',').map((s) => s.trim().toLowerCase());
  const scenarios = faultScenarios(Number(process.env.FAULTS_SCALE ?? 1)).filter((s) => !only || only.some((o) => s.name.toLowerCase().includes(o)));
  if (scenarios.length === 0) throw new Error('FAULTS_ONLY matches no scenario');
  const stack = await startFaultStack();
  log(`NATS cluster ${stack.cluster.urls}; PostgreSQL on ${stack.postgres.port}`);
  const runs: FaultRun[] = [];
  try {
    for (const scenario of scenarios) {
      const run = await runFaultScenario(scenario, { stack, root: ROOT, log, timeline: process.env.FAULTS_TIMELINE === '1' });
      runs.push(run);
      log(`${scenario.name}: ${run.passed ? 'ok' : 'FAIL'}`);
      if (!run.passed) {
        console.log(run.failures.join('\n'));
        if (process.env.FAULTS_VERBOSE === '1') console.log(run.output);
      }
      if (run.timeline) console.log(`${scenario.name}: timeline (s from the fault's end; the tasks that changed last)\n${run.timeline}`);
    }
  } finally {
    await stack.dispose();
  }
  console.log(`\n${faultTable(runs)}\n`);
  for (const run of runs.filter((r) => !r.passed)) console.log(`${run.scenario.name}:\n${run.failures.join('\n')}\n`);
  const failed = runs.filter((run) => !run.passed).length;
  console.log(failed === 0 ? 'faults: PASS' : `faults: FAIL (${failed} of ${runs.length} scenarios)`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error('faults crashed:', error);
  process.exit(2);
});
