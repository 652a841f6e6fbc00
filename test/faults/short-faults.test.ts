import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { buildOrchestrator } from '../helpers/orchestrator-binary.js';
import { faultScenarios } from './fault-scenarios.js';
import { startFaultStack, type FaultStack } from './fault-stack.js';
import { faultTable } from './fault-table.js';
import { runFaultScenario } from './run-fault-scenario.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The shortened form of `npm run test:faults` that runs in `npm test`: the instance crash with
// analyses in flight, with a few deliveries, on the suite's own 3-node NATS cluster and PostgreSQL.
describe('fault injection (short form of npm run test:faults)', function () {
  this.timeout(240_000);
  let stack: FaultStack | undefined;
  before(async () => {
    buildOrchestrator();
    stack = await startFaultStack();
  });
  after(async () => {
    await stack?.dispose();
  });

  // The guarantees are asserted exactly, and the recovery against the suite's 10 s target: by
  // design the dead instance's tasks are taken over ack_wait (6 s) after the kill — its restart
  // takes 2-7 s of that — and each then takes one slow GitHub answer (1.5 s), about 3-5 s after
  // the instance is ready again (3.2 s measured here).
  it('loses, duplicates and strands nothing when an instance is SIGKILLed mid-stream, and finishes the work within 10 s of its restart', async () => {
    const scenario = faultScenarios(0.3).find((s) => s.name.startsWith('SIGKILL'))!;
    const run = await runFaultScenario(scenario, { stack: stack!, root: ROOT, settleMs: 60_000, log: () => undefined });
    const report = `\n${faultTable([run])}\n${run.failures.join('\n')}`;
    expect(run.verdict.lost, report).to.equal(0);
    expect(run.verdict.duplicates, report).to.equal(0);
    expect(run.verdict.stuck, report).to.equal(0);
    expect(run.verdict.unacked, report).to.equal(0);
    expect(run.verdict.deadLetters, report).to.equal(0);
    expect(run.verdict.problems, report).to.deep.equal([]);
    expect(run.verdict.processed, report).to.equal(run.verdict.accepted);
    expect(run.verdict.recoverySeconds, `never recovered${report}`).to.be.a('number');
    expect(run.verdict.recoverySeconds, `recovery${report}`).to.be.at.most(scenario.recoveryTargetSeconds!);
  });
});
