import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTaskOnce } from '../../../../src/effects/db/create-tasks-once.js';
import { transitionTask } from '../../../../src/effects/db/task-store.js';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';
import { API_TOKEN, useApiHarness } from '../../api/management-api-harness.js';

describe('orchestrator tasks', function () {
  this.timeout(30_000);
  const deliveryId = randomUUID();
  let taskId = '';
  const harness = useApiHarness(async (db) => {
    const { task } = await createTaskOnce(db.orm.em.fork(), {
      taskType: 'pull_request_analysis',
      repository: 'octo/app',
      deliveryId,
      eventType: 'pull_request',
      pullRequestNumber: 7,
      headSha: 'abcdef1234567890'.padEnd(40, '0'),
      reason: 'opened',
    });
    taskId = task.id;
  });
  const cli = (...argv: string[]) => runCliCapture([...argv, '--url', harness.api().url], { API_TOKEN });

  it('lists tasks as a table, with the filters passed to the API', async () => {
    const { code, out } = await cli('tasks', 'list', '--delivery', deliveryId, '--type', 'pull_request_analysis');
    expect(code).to.equal(0);
    const [heading, row, footer] = out.trimEnd().split('\n');
    expect(heading).to.match(/^ID\s+TYPE\s+STATUS\s+REPOSITORY\s+PR\s+HEAD\s+TRIES\s+REASON$/);
    expect(row).to.match(new RegExp(`^${taskId}\\s+pull_request_analysis\\s+queued\\s+octo/app\\s+7\\s+abcdef1\\s+0\\s+opened$`));
    expect(footer).to.equal('1 of 1 task(s)');
  });

  it('prints the API\'s answer as JSON with --json', async () => {
    const { out } = await cli('--json', 'tasks', 'list', '--delivery', deliveryId);
    expect(JSON.parse(out)).to.deep.include({ total: 1, limit: 50, offset: 0 });
  });

  it('shows a task with its fields, and ends 3 for one that does not exist', async () => {
    const shown = await cli('tasks', 'show', taskId);
    expect(shown.out).to.match(new RegExp(`^id\\s+${taskId}$`, 'm'));
    expect(shown.out).to.match(/^attempts\s+-$|^attempts\s+\[\]$/m);
    const missing = await cli('tasks', 'show', randomUUID());
    expect(missing.code).to.equal(3);
  });

  it('retries a task through the API and says so; a queued task cannot be retried (exit 1)', async () => {
    const fork = () => harness.db().orm.em.fork();
    const { task: failed } = await createTaskOnce(fork(), { taskType: 'push_analysis', repository: 'octo/app', deliveryId, eventType: 'push' });
    await transitionTask(fork(), failed.id, 'running');
    await transitionTask(fork(), failed.id, 'failed');
    const retried = await cli('tasks', 'retry', failed.id);
    expect(retried).to.deep.include({ code: 0, out: `task ${failed.id} is queued again\n` });
    expect(harness.api().ports.requeueTask.calledOnce).to.equal(true);
    const refused = await cli('tasks', 'retry', taskId);
    expect(refused.code).to.equal(1);
    expect(refused.err).to.match(/^orchestrator: POST \/api\/v1\/tasks\/.+\/retry: 409 conflict/);
  });

  it('refuses a --limit that is not a whole number before calling the API (exit 2)', async () => {
    expect((await cli('tasks', 'list', '--limit', 'ten')).code).to.equal(2);
  });
});
