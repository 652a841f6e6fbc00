import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { BatchItem } from '../../../../src/actors/actor-definition.js';
import { createAnalysisActor } from '../../../../src/actors/analysis/analysis-actor.js';
import { createAttemptLeaseKeeper, type AttemptLeaseKeeper } from '../../../../src/actors/attempt-lease-keeper.js';
import { createDependencyBreakers, type DependencyBreakers } from '../../../../src/actors/dependency-breakers.js';
import type { TaskEnvelope } from '../../../../src/bus/decode-task-message.js';
import { createTaskPublisher } from '../../../../src/bus/task-publisher.js';
import type { RulesFile } from '../../../../src/config/rules-schema.js';
import { createGithubClient, type GithubClient } from '../../../../src/effects/github/create-github-client.js';
import { createTaskOnce, findOrCreateCodegenTrigger, getTask, listTasks, startAttempt } from '../../../../src/effects/db/task-store.js';
import { AppError, isAppError } from '../../../../src/errors/app-error.js';
import { createMetrics } from '../../../../src/observability/metrics.js';
import { useActorBatch } from '../../../helpers/actor-batch.js';
import { mockFailedChecks } from '../../../helpers/github-check-mocks.js';
import { useGithubQueryHarness } from '../../../helpers/github-query-harness.js';
import { silentLogger } from '../../../helpers/test-database.js';

const sha = () => randomBytes(20).toString('hex');

describe('createAnalysisActor', function () {
  this.timeout(30_000);
  const harness = useActorBatch();
  const github = useGithubQueryHarness();
  let breakers: DependencyBreakers;
  let leases: AttemptLeaseKeeper;
  beforeEach(() => {
    breakers = createDependencyBreakers();
    leases = createAttemptLeaseKeeper({ fork: () => harness.db().orm.em.fork(), owner: 'test', leaseMs: 10_000, logger: silentLogger() });
  });
  afterEach(() => {
    leases.stop();
    Object.values(breakers).forEach((breaker) => breaker.dispose());
  });

  const em = () => harness.db().orm.em.fork();
  const published: string[] = [];
  const actor = (options: { client?: GithubClient; rules?: RulesFile } = {}) => {
    const publish = createTaskPublisher({ js: harness.scratch().js, topology: harness.scratch().topology });
    return createAnalysisActor({
      github: options.client ?? github.client,
      githubBreaker: breakers.github,
      rules: options.rules ?? {},
      publishTask: async (task) => {
        published.push(task.id);
        return publish(task);
      },
      onTransition: () => undefined,
      metrics: createMetrics({ defaultMetrics: false }),
      githubBudget: { limit: 100, windowMs: 1000 },
      fork: em,
      leases,
    });
  };
  const handle = (taskIds: string[], options: Parameters<typeof actor>[0] = {}) =>
    actor(options).handleBatch(
      taskIds.map((taskId): BatchItem<TaskEnvelope> => harness.item({ taskId, taskType: 'analysis' })),
      harness.context(),
    );
  const stored = async (taskId: string) => (await getTask(em(), taskId))!.task;

  /** An analysis task of a failed check run on the head of open pull request #42 of a repository of its own. */
  async function failedCheck() {
    const headSha = sha();
    const repository = `octo/${randomUUID().slice(0, 8)}`;
    const nodeId = `CR_${randomUUID().slice(0, 8)}`;
    mockFailedChecks(github.double, { headSha, prNumber: 42, runs: [{ nodeId, name: 'unit tests', annotations: [{ path: 'src/cache.ts', line: 14, message: 'expected 2 to equal 3' }] }] });
    const { task } = await createTaskOnce(em(), {
      taskType: 'check_failure_analysis',
      repository,
      deliveryId: randomUUID(),
      eventType: 'check_run',
      action: 'completed',
      pullRequestNumber: 42,
      headSha,
      input: { owner: 'octo', repo: repository.split('/')[1], installation_id: null, node_id: nodeId, head_branch: 'changes' },
    });
    return task;
  }

  it('analyses a failed check, records its findings and reason, and links and queues the one fix trigger of its commit', async () => {
    const task = await failedCheck();

    expect(await handle([task.id])).to.deep.equal(['processed']);

    const done = await stored(task.id);
    expect(done.status).to.equal('succeeded');
    expect(done.reason).to.match(/unit tests.*fix run was requested/);
    expect((done.findings as { checks: Array<{ name: string }> }).checks.map((check) => check.name)).to.deep.equal(['unit tests']);
    const [trigger] = (await listTasks(em(), { repository: task.repository, taskType: 'codegen_trigger' }, { limit: 5, offset: 0 })).rows;
    expect(trigger).to.include({ id: done.triggerTaskId, purpose: 'fix', headSha: task.headSha, pullRequestNumber: 42, status: 'queued' });
    expect(published).to.include(trigger!.id);
  });

  it('creates no trigger once the pull request has had its cap of fix runs, and says so in the reason', async () => {
    const task = await failedCheck();
    await findOrCreateCodegenTrigger(em(), { repository: task.repository, headSha: sha(), purpose: 'fix', deliveryId: randomUUID(), eventType: 'check_run', pullRequestNumber: 42 });

    expect(await handle([task.id], { rules: { defaults: { maxFixRunsPerPullRequest: 1 } } })).to.deep.equal(['processed']);

    const done = await stored(task.id);
    expect(done.triggerTaskId).to.equal(null);
    expect(done.reason).to.match(/Not started: pull request #42 has had 1 fix run\(s\); the cap is 1\.$/);
  });

  it('answers a finished task and a second message of the same batch as duplicates', async () => {
    const task = await failedCheck();
    expect(await handle([task.id, task.id])).to.deep.equal(['processed', 'duplicate']);
    expect(await handle([task.id])).to.deep.equal(['duplicate']);
  });

  it('fails the task with the reason, without retrying, when GitHub is not configured', async () => {
    const task = await failedCheck();
    const unconfigured = createGithubClient({ graphqlUrl: github.double.url, auth: { kind: 'none' }, logger: silentLogger(), metrics: createMetrics({ defaultMetrics: false }) });

    expect(await handle([task.id], { client: unconfigured })).to.deep.equal(['failed']);
    expect((await stored(task.id)).reason).to.match(/^The analysis could not reach GitHub: /);
  });

  it('leaves the messages waiting in JetStream while the GitHub breaker is open, opening no attempt', async () => {
    const task = await failedCheck();
    for (let i = 0; i < 5; i++) breakers.github.recordFailure(new AppError('dependency_failed', 'GitHub answered 502'));
    expect(breakers.github.state).to.equal('open');

    const [result] = await handle([task.id]);
    const error = (result as { error: unknown }).error;
    expect(isAppError(error) && error.code).to.equal('circuit_open');
    expect((await getTask(em(), task.id))!.attempts).to.deep.equal([]);
  });

  it('analyses a push as the commits it brought, not the history below its before SHA', async () => {
    // A branch with 25 commits; the push added the newest two on top of `before`.
    const history = Array.from({ length: 25 }, (_, i) => ({
      oid: sha(),
      message: i < 2 ? `pushed commit ${i}` : `older commit ${i}`,
      committedDate: new Date(Date.UTC(2026, 10, 29, 12, 0, -i)).toISOString(),
      additions: 1,
      deletions: 0,
      changedFilesIfAvailable: 1,
      author: { name: 'Mona Lisa', email: 'mona@example.com' },
    }));
    github.double.setMocks({}, { Repository: { object: () => ({ __typename: 'Commit', ...history[0], history: { nodes: history.slice(0, 20) } }) } });
    const { task } = await createTaskOnce(em(), {
      taskType: 'push_analysis',
      repository: 'octo/pushed',
      deliveryId: randomUUID(),
      eventType: 'push',
      headSha: history[0]!.oid,
      input: { owner: 'octo', repo: 'pushed', installation_id: null, ref: 'refs/heads/main', before: history[2]!.oid },
    });

    expect(await handle([task.id])).to.deep.equal(['processed']);

    const done = await stored(task.id);
    expect((done.findings as { commits: Array<{ sha: string }> }).commits.map((commit) => commit.sha)).to.deep.equal([history[0]!.oid, history[1]!.oid]);
    expect(done.reason).to.match(/^Push of 2 commit\(s\)/);
  });

  it('takes no task another worker runs under a live lease: its message waits for the lease to run out', async () => {
    const task = await failedCheck();
    await startAttempt(em(), task.id, { owner: 'other', leaseMs: 60_000 });

    const [result] = await handle([task.id]);

    const error = (result as { error: unknown }).error;
    expect(isAppError(error) && [error.code, (error.retryAfterSeconds ?? 0) > 0]).to.deep.equal(['deferred', true]);
    expect((await getTask(em(), task.id))!.attempts.map((attempt) => attempt.owner)).to.deep.equal(['other']);
  });
});
