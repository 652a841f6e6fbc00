import { expect } from 'chai';
import { recoveryListSchema, recoveryStartedSchema } from '../../../../../src/api/schemas/recovery-schemas.js';
import { recoveryRun } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('recoveryView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/recovery-view']);
  const list = (runs: ReturnType<typeof recoveryRun>[]) => ({ recoveries: runs, total: runs.length, limit: 50, offset: 0 });

  it('lists the runs with their status, counts and the redeliveries each asked for', async () => {
    view.answer('GET /api/v1/recoveries', recoveryListSchema, list([
      recoveryRun(),
      recoveryRun({ id: '6b0e2f7a-0c1d-4e8f-9a2b-3c4d5e6f7a8b', status: 'paused', resume_at: '2026-11-29T11:00:00.000Z', error: 'GitHub rate limit', requests: [] }),
    ]));
    await view.render('recoveryView');

    expect(view.requests).to.deep.equal(['GET /api/v1/recoveries?limit=50&offset=0']);
    expect(
      await view.run(`return {
        title: root.querySelector('h1').textContent,
        statuses: [...root.querySelectorAll('tbody tr')].map((row) => row.querySelector('.badge').textContent),
        counts: root.querySelector('.counts').textContent,
        summary: root.querySelector('details.requests summary').textContent,
        paused: [...root.querySelectorAll('tbody tr')][1].textContent.includes('GitHub rate limit'),
        none: [...root.querySelectorAll('tbody tr')][1].textContent.includes('none'),
      };`),
    ).to.deep.equal({
      title: 'Recovery runs (2)',
      statuses: ['completed', 'paused'],
      counts: '30 attempts scanned2 failed, 1 accepted after all1 redeliveries requested',
      summary: '1 redelivery request',
      paused: true,
      none: true,
    });
    expect(await view.run(`return root.querySelector('[data-guid="guid-1"] .hint').textContent;`)).to.match(/^push · failed with no connection · app #555 · asked /);
  });

  it('keeps a run’s redeliveries unfolded across the 5 s refresh', async () => {
    view.answer('GET /api/v1/recoveries', recoveryListSchema, list([recoveryRun()]));
    await view.render('recoveryView');
    await view.run(`const details = root.querySelector('details.requests'); details.open = true; await new Promise((resolve) => details.addEventListener('toggle', resolve, { once: true }));`);
    await view.tick();

    expect(await view.run(`return [timers.map((timer) => timer.ms), root.querySelector('details.requests').open];`)).to.deep.equal([[5000], true]);
    expect(view.requests).to.have.length(2);
  });

  it('starts a run after a yes, bounded by the time given, and says which run started', async () => {
    view.answer('GET /api/v1/recoveries', recoveryListSchema, list([]));
    view.answer('POST /api/v1/recoveries', recoveryStartedSchema, { status: 'started', run: recoveryRun({ trigger: 'manual', status: 'running', finished_at: null }) });
    await view.render('recoveryView');
    expect(await view.run(`return root.querySelector('.empty').textContent;`)).to.match(/^No recovery runs yet/);

    const since = await view.run<string>(`
      root.querySelector('#recovery-since').value = '2026-11-28T09:30:00';
      root.querySelector('form').requestSubmit();
      document.querySelector('dialog button[value=confirm]').click();
      await new Promise((resolve) => { const wait = () => (notes.length ? resolve() : setTimeout(wait, 10)); wait(); });
      return new Date('2026-11-28T09:30:00').toISOString();
    `);
    expect(view.requests.filter((request) => request.startsWith('POST'))).to.deep.equal([`POST /api/v1/recoveries?since=${encodeURIComponent(since)}`]);
    expect(await view.run(`return [notes[0][0], notes[0][1].startsWith('Recovery run 5b0e2f7a-0c1d-4e8f-9a2b-3c4d5e6f7a8b started'), refreshed()];`)).to.deep.equal(['success', true, 1]);
  });

  it('starts a run from the checkpoint when no time is given', async () => {
    view.answer('GET /api/v1/recoveries', recoveryListSchema, list([]));
    view.answer('POST /api/v1/recoveries', recoveryStartedSchema, { status: 'started', run: recoveryRun({ trigger: 'manual', status: 'running', finished_at: null }) });
    await view.render('recoveryView');
    await view.run(`
      root.querySelector('form').requestSubmit();
      const dialog = document.querySelector('dialog');
      const asked = dialog.textContent;
      dialog.querySelector('button[value=confirm]').click();
      await new Promise((resolve) => { const wait = () => (notes.length ? resolve() : setTimeout(wait, 10)); wait(); });
      window.asked = asked;
    `);
    expect(await view.run(`return window.asked;`)).to.include('since the last checkpoint (at most 3 days back)');
    expect(view.requests.filter((request) => request.startsWith('POST'))).to.deep.equal(['POST /api/v1/recoveries']);
  });
});
