import { expect } from 'chai';
import { taskDetailSchema, taskViewSchema } from '../../../../../src/api/schemas/task-schemas.js';
import { TASK_ID, taskDetail, taskView } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('taskDetailView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/task-detail-view']);
  const path = `/api/v1/tasks/${TASK_ID}`;

  it('shows the task’s reason, facts with a link to its delivery, every attempt and its findings', async () => {
    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({
      status: 'failed',
      last_error: 'permanent_failure: 404',
      attempts: [
        { number: 1, started_at: '2026-11-29T10:00:00.000Z', finished_at: '2026-11-29T10:00:01.000Z', outcome: 'retrying', error: 'rate_limited: GitHub' },
        { number: 2, started_at: '2026-11-29T10:01:00.000Z', finished_at: null, outcome: null, error: null },
      ],
    }));
    await view.render('taskDetailView', { id: TASK_ID });

    expect(view.requests).to.deep.equal([`GET ${path}`]);
    expect(
      await view.run(`return {
        title: root.querySelector('h1').textContent,
        status: root.querySelector('.title-row .badge').textContent,
        reason: root.querySelector('.reason-panel .reason').textContent,
        delivery: root.querySelector('a[href="#/deliveries/delivery-1"]').textContent,
        lastError: root.querySelector('.error').textContent,
        attempts: [...root.querySelectorAll('.attempts tbody tr')].map((row) => [...row.children].slice(0, 3).map((cell) => cell.textContent)),
        findings: root.textContent.includes('lint'),
        codegen: root.textContent.includes('Codegen run'),
      };`),
    ).to.deep.equal({
      title: 'check_failure_analysis',
      status: 'failed',
      reason: 'The lint check failed on two files.',
      delivery: 'delivery-1',
      lastError: 'permanent_failure: 404',
      attempts: [['1', 'retrying', 'rate_limited: GitHub'], ['2', 'running', '—']],
      findings: true,
      codegen: false,
    });
  });

  it('shows a codegen trigger’s run with its link, status and result, or that none started', async () => {
    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ task_type: 'codegen_trigger', codegen_run: { id: 1000, status: 'COMPLETE', web_url: 'https://codegen.com/agent/trace/1000' }, codegen_result: 'Opened PR #8.' }));
    await view.render('taskDetailView', { id: TASK_ID });
    expect(await view.run(`const link = [...root.querySelectorAll('a')].find((a) => a.textContent === '#1000'); return [link.href, root.textContent.includes('Opened PR #8.')];`)).to.deep.equal(['https://codegen.com/agent/trace/1000', true]);

    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ task_type: 'codegen_trigger', codegen_run: null, findings: null }));
    await view.render('taskDetailView', { id: TASK_ID });
    expect(await view.run(`return [root.textContent.includes('No Codegen run started.'), root.textContent.includes('No findings recorded.')];`)).to.deep.equal([true, true]);
  });

  it('retries a failed task after a yes, says what it became and refreshes; Retry is disabled while a task is not finished badly', async () => {
    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ status: 'dead' }));
    view.answer(`POST ${path}/retry`, taskViewSchema, taskView({ status: 'queued' }));
    await view.render('taskDetailView', { id: TASK_ID });
    await view.run(`
      root.querySelector('[data-action=retry]').click();
      document.querySelector('dialog button[value=confirm]').click();
      await new Promise((resolve) => { const wait = () => (notes.length ? resolve() : setTimeout(wait, 10)); wait(); });
    `);
    expect(view.requests).to.deep.equal([`GET ${path}`, `POST ${path}/retry`]);
    expect(await view.run(`return [notes, refreshed()];`)).to.deep.equal([[['success', 'Task re-queued: it is now queued.']], 1]);

    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ status: 'running' }));
    await view.render('taskDetailView', { id: TASK_ID });
    expect(await view.run(`const retry = root.querySelector('[data-action=retry]'); return [retry.disabled, retry.title];`)).to.deep.equal([true, 'Only failed, dead or skipped tasks can be retried.']);
  });

  it('refreshes every 5 s while the task is under way, and leaves a finished one as it is', async () => {
    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ status: 'running' }));
    await view.render('taskDetailView', { id: TASK_ID });
    view.answer(`GET ${path}`, taskDetailSchema, taskDetail({ status: 'succeeded' }));
    await view.tick();
    expect(await view.run(`return root.querySelector('.title-row .badge').textContent;`)).to.equal('succeeded');
    await view.tick();
    expect(view.requests).to.have.length(2);
    expect(await view.run(`return timers.map((timer) => timer.ms);`)).to.deep.equal([5000]);
  });
});
