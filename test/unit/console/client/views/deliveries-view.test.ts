import { expect } from 'chai';
import { deliveryListSchema } from '../../../../../src/api/schemas/delivery-schemas.js';
import { DELIVERY_OUTCOMES } from '../../../../../src/effects/db/entities/webhook-delivery.js';
import { deliveryView } from '../../../../fixtures/console-answers.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

describe('deliveriesView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/deliveries-view']);

  it('lists the deliveries of GET /api/v1/deliveries with a link to each, its event and action, repository and outcome', async () => {
    view.answer('GET /api/v1/deliveries', deliveryListSchema, {
      deliveries: [deliveryView(), deliveryView({ delivery_id: 'delivery-2', event_type: 'ping', action: null, repository: null, outcome: 'ignored' })],
      total: 2,
      limit: 50,
      offset: 0,
    });
    await view.render('deliveriesView', { query: { repository: 'octo/app' } });

    expect(view.requests).to.deep.equal(['GET /api/v1/deliveries?repository=octo%2Fapp&limit=50&offset=0']);
    expect(
      await view.run(`return [...root.querySelectorAll('tbody tr')].map((row) => [...row.children].slice(0, 4).map((cell) => cell.textContent)
        .concat(row.querySelector('a').getAttribute('href')));`),
    ).to.deep.equal([
      ['delivery-1', 'check_run.completed', 'octo/app', 'processed', '#/deliveries/delivery-1'],
      ['delivery-2', 'ping', '—', 'ignored', '#/deliveries/delivery-2'],
    ]);
  });

  it('filters by event, action, repository, every outcome and a received-time range', async () => {
    view.answer('GET /api/v1/deliveries', deliveryListSchema, { deliveries: [], total: 0, limit: 50, offset: 0 });
    await view.render('deliveriesView');

    expect(await view.run(`return [...root.querySelectorAll('form [name]')].map((field) => field.name);`)).to.deep.equal(['event', 'action', 'repository', 'outcome', 'since', 'until']);
    expect(await view.run(`return [...root.querySelector('form select[name=outcome]').options].map((option) => option.value).filter(Boolean);`)).to.deep.equal([...DELIVERY_OUTCOMES]);
    expect(await view.run(`return root.querySelector('.results').textContent;`)).to.include('No deliveries match these filters.');
  });
});
