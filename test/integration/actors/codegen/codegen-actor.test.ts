import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { BatchItem, ItemResult } from '../../../../src/actors/actor-definition.js';
import { createAttemptLeaseKeeper, type AttemptLeaseKeeper } from '../../../../src/actors/attempt-lease-keeper.js';
import { createCodegenActor, type CodegenActorOptions } from '../../../../src/actors/codegen/codegen-actor.js';
import { createDependencyBreakers, type DependencyBreakers } from '../../../../src/actors/dependency-breakers.js';
import type { TaskEnvelope } from '../../../../src/bus/decode-task-message.js';
import type { RulesFile } from '../../../../src/config/rules-schema.js';
import { createCodegenClient } from '../../../../src/effects/codegen/create-codegen-client.js';
import { createTaskOnce, findOrCreateCodegenTrigger, getTask, transitionTask } from '../../../../src/effects/db/task-store.js';
import { isAppError } from '../../../../src/errors/app-error.js';
import { createMetrics, type Metrics } from '../../../../src/observability/metrics.js';
import { useActorBatch } from '../../../helpers/actor-batch.js';
import { startCodegenDouble, type CodegenDouble } from '../../../helpers/codegen-api-double.js';
import { silentLogger } from '../../../helpers/test-database.js';

describe('createCodegenActor', function () {
  this.timeout(30_000);
  const harness = useActorBatch();
  let double: CodegenDouble;
  let breakers: DependencyBreakers;
  let leases: AttemptLeaseKeeper;
  let metrics: Metrics;
  beforeEach(async () => {
    double = await startCodegenDouble();
    breakers = createDependencyBreakers();
    metrics = createMetrics({ defaultMetrics: false });
    leases = createAttemptLeaseKeeper({ fork: () => harness.db().orm.em.fork(), owner: 'test', leaseMs: 10_000, logger: silentLogger() });
  });
  afterEach(async () => {
    leases.stop();
    Object.values(breakers).forEach((breaker) => breaker.dispose());
    await double.close();
  });

  const em = () => harness.db().orm.em.fork();
  const handle = (taskId: string, options: Partial<CodegenActorOptions> & { rules?: RulesFile } = {}): Promise<ItemResult> => {
    const actor = createCodegenActor({
      codegen: createCodegenClient({ apiUrl: double.url, token: double.token, orgId: double.orgId, logger: silentLogger(), metrics }),
      codegenBreaker: breakers.codegen,
      rules: { defaults: { coalesceWindowSeconds: 0 } },
      metrics,
      onTransition: () => undefined,
      leases,
      pollMs: 10,
      maxPollMs: 20,
      ...options,
    });
    const item: BatchItem<TaskEnvelope> = harness.item({ taskId, taskType: 'codegen_trigger' });
    return actor.handleBatch([item], harness.context()).then((results) => results[0]!);
  };
  const runs = async (status: string) => (await metrics.codegenRuns.get()).values.find((value) => value.labels.status === status)?.value ?? 0;

  /** A fix trigger on a pull request of its own repository, with one analysis of a failed check linked to it. */
  async function trigger(options: { pullRequestNumber?: number } = {}) {
    const repository = `octo/${randomUUID().slice(0, 8)}`;
    const base = { repository, deliveryId: randomUUID(), eventType: 'check_run', headSha: 'c'.repeat(40), pullRequestNumber: options.pullRequestNumber ?? 7 };
    const { task } = await findOrCreateCodegenTrigger(em(), { ...base, purpose: 'fix' });
    const { task: analysis } = await createTaskOnce(em(), { ...base, taskType: 'check_failure_analysis', deliveryId: randomUUID() });
    await transitionTask(em(), analysis.id, 'running');
    await transitionTask(em(), analysis.id, 'succeeded', {
      triggerTaskId: task.id,
      reason: 'lint failed on the head of pull request #7.',
      findings: { checks: [{ name: 'lint', conclusion: 'failure', summary: 'two files', annotations: [] }] },
    });
    return task;
  }

  it('starts one run with the prompt of the analyses linked to the trigger, follows it to its end and records it, counted once', async () => {
    const task = await trigger();
    double.setStatusSequence(['ACTIVE', 'COMPLETE']);

    expect(await handle(task.id)).to.equal('processed');

    const { task: done, attempts } = (await getTask(em(), task.id))!;
    expect(done).to.include({ status: 'succeeded', codegenRunStatus: 'COMPLETE' });
    expect(done.codegenRunId).to.be.a('number');
    expect(attempts.map((attempt) => attempt.outcome)).to.deep.equal(['succeeded']);
    const [created] = [...double.runs.values()];
    expect(double.runs.size).to.equal(1);
    expect(created!.prompt).to.include('## Check "lint"').and.to.include('lint failed on the head of pull request #7.');
    expect([await runs('created'), await runs('completed')]).to.deep.equal([1, 1]);
  });

  it('answers a message of a finished trigger as a duplicate, starting nothing', async () => {
    const task = await trigger();
    double.setStatusSequence(['COMPLETE']);
    await handle(task.id);

    expect(await handle(task.id)).to.equal('duplicate');
    expect(double.runs.size).to.equal(1);
  });

  it('waits, deferred, while the coalescing window of the trigger is open, so a burst of failures lands in one prompt', async () => {
    const task = await trigger();

    const result = await handle(task.id, { rules: { defaults: { coalesceWindowSeconds: 60 } } });

    const error = (result as { error: unknown }).error;
    expect(isAppError(error) && [error.code, Math.round(error.retryAfterSeconds ?? 0)]).to.deep.equal(['deferred', 60]);
    expect(double.runs.size).to.equal(0);
    expect((await getTask(em(), task.id))!.task.status).to.equal('queued');
  });

  it('skips a fix run beyond the pull request’s cap, with the reason', async () => {
    const task = await trigger();

    expect(await handle(task.id, { rules: { defaults: { coalesceWindowSeconds: 0, maxFixRunsPerPullRequest: 0 } } })).to.equal('processed');

    expect((await getTask(em(), task.id))!.task).to.include({ status: 'skipped', reason: 'Not started: pull request #7 has had 0 fix run(s); the cap is 0.' });
    expect(double.runs.size).to.equal(0);
  });

  it('skips the trigger with the reason when Codegen is not configured', async () => {
    const task = await trigger();
    const codegen = createCodegenClient({ apiUrl: double.url, logger: silentLogger(), metrics });

    expect(await handle(task.id, { codegen })).to.equal('skipped');
    expect((await getTask(em(), task.id))!.task).to.include({ status: 'skipped', reason: 'Not started: Codegen is not configured (set CODEGEN_TOKEN and CODEGEN_ORG_ID).' });
    expect(double.requests).to.deep.equal([]);
  });

  it('adopts the run a create of unknown outcome started, instead of starting a second one', async () => {
    const task = await trigger();
    const earlier = await createCodegenClient({ apiUrl: double.url, token: double.token, orgId: double.orgId, logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) })
      .createRun({ prompt: 'fix', metadata: { task_id: task.id, attempt: 1 } });
    // Attempt 1 timed out on its create and left its marker.
    await transitionTask(em(), task.id, 'running', { codegenRunStatus: 'creating:1' });
    await transitionTask(em(), task.id, 'retrying');
    double.completeRun(earlier.id);

    expect(await handle(task.id)).to.equal('processed');
    expect(double.runs.size).to.equal(1);
    expect((await getTask(em(), task.id))!.task).to.include({ status: 'succeeded', codegenRunId: earlier.id });
    expect(await runs('created')).to.equal(0);
  });
});
