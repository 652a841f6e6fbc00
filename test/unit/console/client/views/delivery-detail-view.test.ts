import { expect } from 'chai';
import { deliveryDetailSchema, deliveryMessageSchema, replayAcceptedSchema } from '../../../../../src/api/schemas/delivery-schemas.js';
import { TASK_ID, deliveryDetail, deliveryMessage } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('deliveryDetailView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/delivery-detail-view']);
  const path = '/api/v1/deliveries/delivery-1';
  const payload = JSON.stringify({ action: 'completed', check_run: { name: 'lint' } });

  it('shows the delivery, the tasks it made, its JetStream message with headers, and a small payload at once', async () => {
    view.answer(`GET ${path}`, deliveryDetailSchema, deliveryDetail({ outcome: 'failed', error: 'bad payload' }));
    view.answer(`GET ${path}/message`, deliveryMessageSchema, deliveryMessage());
    view.answerText(`GET ${path}/payload`, payload);
    await view.render('deliveryDetailView', { id: 'delivery-1' });

    expect(view.requests).to.deep.equal([`GET ${path}`, `GET ${path}/message`, `GET ${path}/payload`]);
    expect(
      await view.run(`return {
        title: root.querySelector('h1').textContent,
        outcome: root.querySelector('[data-field=outcome]').textContent,
        error: root.querySelector('.error').textContent,
        tasks: [...root.querySelectorAll('.tasks tbody tr a')].map((a) => [a.textContent, a.getAttribute('href')]),
        subject: root.textContent.includes('github.check_run.completed.abc'),
        headers: [...root.querySelectorAll('h3 + .table-frame tbody tr')].map((row) => row.textContent),
        payloadTree: root.querySelector('.payload').textContent.includes('check_run'),
      };`),
    ).to.deep.equal({
      title: 'check_run.completed',
      outcome: 'failed',
      error: 'bad payload',
      tasks: [['check_failure_analysis', `#/tasks/${TASK_ID}`]],
      subject: true,
      headers: ['X-GitHub-Deliverydelivery-1', 'Nats-Msg-Iddelivery-1'],
      payloadTree: true,
    });
  });

  it('loads a large payload only when asked, and shows text that is not JSON as text', async () => {
    view.answer(`GET ${path}`, deliveryDetailSchema, deliveryDetail());
    view.answer(`GET ${path}/message`, deliveryMessageSchema, deliveryMessage({ payload_bytes: 3 * 1024 * 1024, claim_check: true }));
    view.answerText(`GET ${path}/payload`, 'not <b>json</b>');
    await view.render('deliveryDetailView', { id: 'delivery-1' });

    expect(view.requests).to.not.include(`GET ${path}/payload`);
    expect(await view.run(`return [root.querySelector('[data-action=load-payload]').textContent, root.textContent.includes('claim check')];`)).to.deep.equal(['Load payload (3.0 MiB)', true]);
    const shown = await view.run(`
      root.querySelector('[data-action=load-payload]').click();
      await new Promise((resolve) => { const wait = () => (root.querySelector('pre.raw') ? resolve() : setTimeout(wait, 10)); wait(); });
      return [root.querySelector('pre.raw').textContent, root.querySelector('.payload b')];
    `);
    expect(shown).to.deep.equal(['not <b>json</b>', null]);
  });

  it('says why when the stream no longer holds the message, instead of failing the page', async () => {
    view.answer(`GET ${path}`, deliveryDetailSchema, deliveryDetail());
    view.answerError(`GET ${path}/message`, 404, 'not_found', 'the GITHUB stream no longer holds delivery delivery-1');
    await view.render('deliveryDetailView', { id: 'delivery-1' });
    expect(await view.run(`return root.querySelector('.panel .hint').textContent;`)).to.equal('the GITHUB stream no longer holds delivery delivery-1');
  });

  it('replays the delivery after a yes, saying where it was queued', async () => {
    view.answer(`GET ${path}`, deliveryDetailSchema, deliveryDetail());
    view.answer(`GET ${path}/message`, deliveryMessageSchema, deliveryMessage({ payload_bytes: null }));
    view.answer(`POST ${path}/replay`, replayAcceptedSchema, { status: 'queued', delivery_id: 'delivery-1', stream: 'GITHUB', seq: 99 });
    await view.render('deliveryDetailView', { id: 'delivery-1' });
    await view.run(`
      root.querySelector('[data-action=replay]').click();
      document.querySelector('dialog button[value=confirm]').click();
      await new Promise((resolve) => { const wait = () => (notes.length ? resolve() : setTimeout(wait, 10)); wait(); });
    `);
    expect(view.requests.filter((request) => request.startsWith('POST'))).to.deep.equal([`POST ${path}/replay`]);
    expect(await view.run(`return [notes, refreshed()];`)).to.deep.equal([[['success', 'Replay queued: GITHUB sequence 99.']], 1]);
  });
});
