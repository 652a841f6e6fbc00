import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTaskOnce, createTasksOnce, type CreateTaskInput } from '../../../../src/effects/db/create-tasks-once.js';
import type { TaskStatus, TaskType } from '../../../../src/effects/db/entities/task.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('createTasksOnce', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();

  const analysis = (deliveryId: string, taskType: CreateTaskInput['taskType'] = 'pull_request_analysis'): CreateTaskInput => ({
    taskType,
    repository: 'octo/app',
    deliveryId,
    eventType: 'pull_request',
    action: 'opened',
    pullRequestNumber: 7,
    headSha: 'a'.repeat(40),
    input: { number: 7 },
    reason: 'opened',
  });

  it('creates each task queued, in the order asked, and tells the listener of each new one', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const seen: Array<[TaskType, TaskStatus]> = [];
    const results = await createTasksOnce(fork(), [analysis(first), analysis(second, 'check_failure_analysis')], {
      onTransition: (type, status) => seen.push([type, status]),
    });
    expect(results.map((r) => [r.created, r.task.deliveryId, r.task.taskType, r.task.status])).to.deep.equal([
      [true, first, 'pull_request_analysis', 'queued'],
      [true, second, 'check_failure_analysis', 'queued'],
    ]);
    expect(results[0]!.task).to.deep.include({ repository: 'octo/app', action: 'opened', pullRequestNumber: 7, input: { number: 7 }, reason: 'opened' });
    expect(seen).to.deep.equal([
      ['pull_request_analysis', 'queued'],
      ['check_failure_analysis', 'queued'],
    ]);
  });

  it('returns the existing task for a (delivery, task type) already there, created false and not counted again', async () => {
    const deliveryId = randomUUID();
    const { task } = await createTaskOnce(fork(), analysis(deliveryId));
    const seen: unknown[] = [];
    const [again, fresh] = await createTasksOnce(fork(), [analysis(deliveryId), analysis(deliveryId, 'check_suite_failure_analysis')], {
      onTransition: (...args) => seen.push(args),
    });
    expect(again).to.deep.include({ created: false });
    expect(again!.task.id).to.equal(task.id);
    expect(fresh!.created).to.equal(true);
    expect(seen).to.have.length(1);
  });

  it('refuses a codegen_trigger, whose key is the head SHA and purpose', async () => {
    const error = await createTasksOnce(fork(), [{ ...analysis(randomUUID()), taskType: 'codegen_trigger' as never }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TypeError);
  });

  it('does nothing for an empty list', async () => {
    expect(await createTasksOnce(fork(), [])).to.deep.equal([]);
  });
});
