import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('runAction', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['run-action', 'api-client']);

  const run = (answer: 'confirm' | 'cancel', call: string) =>
    page().run(`
      const notes = []; let refreshed = 0; let called = 0;
      const context = { notify: (kind, message) => notes.push([kind, message]), refresh: () => (refreshed += 1) };
      const done = modules['run-action'].runAction(context, { title: 'Retry task', message: 'm', confirmLabel: 'Retry', call: async () => { called += 1; ${call} }, done: (a) => 'task is ' + a.status + ' again' });
      document.querySelector('dialog button[value=${answer}]').click();
      const result = await done;
      return { result: result ?? null, notes, refreshed, called };
    `);

  it('does nothing without a yes', async () => {
    expect(await run('cancel', `return { status: 'queued' };`)).to.deep.equal({ result: null, notes: [], refreshed: 0, called: 0 });
  });

  it('calls, says what happened and refreshes the view', async () => {
    expect(await run('confirm', `return { status: 'queued' };`)).to.deep.equal({ result: { status: 'queued' }, notes: [['success', 'task is queued again']], refreshed: 1, called: 1 });
  });

  it('shows the API\'s error message when the call fails, without refreshing', async () => {
    expect(await run('confirm', `throw new modules['api-client'].ApiError(409, 'conflict', 'task t is queued; only failed, dead or skipped tasks can be retried');`)).to.deep.equal({
      result: null,
      notes: [['error', 'Retry task failed: task t is queued; only failed, dead or skipped tasks can be retried']],
      refreshed: 0,
      called: 1,
    });
  });
});
