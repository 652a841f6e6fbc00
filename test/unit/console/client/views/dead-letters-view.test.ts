import { expect } from 'chai';
import { deadLetterListSchema, redriveAcceptedSchema } from '../../../../../src/api/schemas/dead-letter-schemas.js';
import { TASK_ID, deadLetter } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('deadLettersView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/dead-letters-view']);
  const list = (ids: string[]) => ({ dead_letters: ids.map((id) => deadLetter(id)), total: ids.length, limit: 100, offset: 0 });
  const redriven = (id: string) => ({ status: 'queued' as const, id, stream: 'TASKS', subject: 'tasks.analysis.x', seq: 7 });
  /** Clicks `selector`, confirms, and waits for the action's notification. */
  const confirmAfter = (selector: string) =>
    view.run(`
      root.querySelector(${JSON.stringify(selector)}).click();
      document.querySelector('dialog button[value=confirm]').click();
      await new Promise((resolve) => { const wait = () => (notes.length ? resolve() : setTimeout(wait, 10)); wait(); });
    `);

  it('lists each dead letter with its reason and where it came from, linking its task', async () => {
    view.answer('GET /api/v1/dead-letters', deadLetterListSchema, { ...list(['41']), dead_letters: [deadLetter('41', { delivery_id: 'delivery-1' })] });
    await view.render('deadLettersView', { query: { offset: '100' } });

    expect(view.requests).to.deep.equal(['GET /api/v1/dead-letters?limit=100&offset=100']);
    expect(
      await view.run(`return {
        title: root.querySelector('h1').textContent,
        reason: root.querySelector('tbody .error').textContent,
        origin: root.querySelector('.origin .hint').textContent,
        links: [...root.querySelectorAll('.origin a')].map((a) => a.getAttribute('href')),
      };`),
    ).to.deep.equal({ title: 'Dead letters (1)', reason: 'permanent_failure: no such check run', origin: 'TASKS / actor_analysis', links: ['#/deliveries/delivery-1', `#/tasks/${TASK_ID}`] });
  });

  it('redrives one dead letter after a yes and refreshes', async () => {
    view.answer('GET /api/v1/dead-letters', deadLetterListSchema, list(['41', '42']));
    view.answer('POST /api/v1/dead-letters/42/redrive', redriveAcceptedSchema, redriven('42'));
    await view.render('deadLettersView');
    await confirmAfter('[data-action=redrive][data-id="42"]');

    expect(view.requests.filter((request) => request.startsWith('POST'))).to.deep.equal(['POST /api/v1/dead-letters/42/redrive']);
    expect(await view.run(`return [notes, refreshed()];`)).to.deep.equal([[['success', 'Redriven 1 of 1 dead letter.']], 1]);
  });

  it('redrives every selected one, one call each, and says which failed without stopping the others', async () => {
    view.answer('GET /api/v1/dead-letters', deadLetterListSchema, list(['41', '42', '43']));
    view.answer('POST /api/v1/dead-letters/41/redrive', redriveAcceptedSchema, redriven('41'));
    view.answerError('POST /api/v1/dead-letters/42/redrive', 404, 'not_found', 'no dead letter 42');
    view.answer('POST /api/v1/dead-letters/43/redrive', redriveAcceptedSchema, redriven('43'));
    await view.render('deadLettersView');

    expect(await view.run(`const button = root.querySelector('[data-action=redrive-selected]'); return [button.disabled, button.textContent];`)).to.deep.equal([true, 'Redrive selected']);
    expect(
      await view.run(`
        const all = root.querySelector('.select-all input');
        all.checked = true;
        all.dispatchEvent(new Event('change'));
        const button = root.querySelector('[data-action=redrive-selected]');
        return [button.disabled, button.textContent];
      `),
    ).to.deep.equal([false, 'Redrive selected (3)']);
    await confirmAfter('[data-action=redrive-selected]');

    expect(view.requests.filter((request) => request.startsWith('POST'))).to.deep.equal([
      'POST /api/v1/dead-letters/41/redrive',
      'POST /api/v1/dead-letters/42/redrive',
      'POST /api/v1/dead-letters/43/redrive',
    ]);
    expect(await view.run(`return notes;`)).to.deep.equal([['success', 'Redriven 2 of 3 dead letters. Failed: 42: no dead letter 42']]);
  });

  it('says there is nothing to redrive when the DLQ is empty', async () => {
    view.answer('GET /api/v1/dead-letters', deadLetterListSchema, list([]));
    await view.render('deadLettersView');
    expect(await view.run(`return [root.querySelector('h1').textContent, root.querySelector('.select-all'), root.querySelector('.empty').textContent];`)).to.deep.equal([
      'Dead letters (0)',
      null,
      'No dead letters: every message was handled.',
    ]);
  });
});
