import { expect } from 'chai';
import { taskListSchema } from '../../../../../src/api/schemas/task-schemas.js';
import { TASK_STATUSES, TASK_TYPES } from '../../../../../src/effects/db/entities/task.js';
import { TASK_ID, taskView } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('tasksView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/tasks-view']);

  it('lists the tasks of GET /api/v1/tasks with a link to each, its status and its reason (or last error)', async () => {
    view.answer('GET /api/v1/tasks', taskListSchema, {
      tasks: [taskView(), taskView({ id: '1d6f1c2e-4b1a-4c8e-9a57-2f5c8d9e1a01', task_type: 'push_analysis', status: 'failed', reason: null, last_error: 'dependency_timeout: GitHub' })],
      total: 2,
      limit: 50,
      offset: 0,
    });
    await view.render('tasksView', { query: { status: 'failed' } });

    expect(view.requests).to.deep.equal(['GET /api/v1/tasks?status=failed&limit=50&offset=0']);
    expect(
      await view.run(`return [...root.querySelectorAll('tbody tr')].map((row) => [
        row.querySelector('a').getAttribute('href'), row.querySelector('a').textContent, row.querySelector('.badge').textContent, row.querySelector('.reason').textContent]);`),
    ).to.deep.equal([
      [`#/tasks/${TASK_ID}`, 'check_failure_analysis', 'succeeded', 'The lint check failed on two files.'],
      ['#/tasks/1d6f1c2e-4b1a-4c8e-9a57-2f5c8d9e1a01', 'push_analysis', 'failed', 'dependency_timeout: GitHub'],
    ]);
  });

  it('filters by every task type and status the API knows, and by repository', async () => {
    view.answer('GET /api/v1/tasks', taskListSchema, { tasks: [], total: 0, limit: 50, offset: 0 });
    await view.render('tasksView');

    const options = await view.run<Record<string, string[]>>(`return Object.fromEntries([...root.querySelectorAll('form select')].map((select) =>
      [select.name, [...select.options].map((option) => option.value).filter(Boolean)]));`);
    expect(options).to.deep.equal({ task_type: [...TASK_TYPES], status: [...TASK_STATUSES] });
    expect(await view.run(`return root.querySelector('form input[name=repository]').placeholder;`)).to.equal('owner/name');
    expect(await view.run(`return root.querySelector('.results').textContent;`)).to.include('No tasks match these filters.');
  });
});
