import { expect } from 'chai';
import { z } from 'zod';
import { useConsoleViewPage } from '../../../helpers/console-view-page.js';

const itemList = z.object({ items: z.array(z.object({ name: z.string() })), total: z.number(), limit: z.number(), offset: z.number() });

describe('listView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['list-view']);

  /** A list view of `/api/v1/items` with one text filter, defined in the page as `itemsView`. */
  beforeEach(() =>
    view.page().run(`
      modules.items = { itemsView: modules['list-view'].listView({
        route: 'items', title: 'Items', endpoint: '/api/v1/items',
        filters: [{ name: 'name', label: 'Name', kind: 'text' }],
        rows: (page) => page.items,
        columns: [{ header: 'Name', cell: (item) => item.name }],
        empty: 'No items match these filters.',
      }) };
    `),
  );

  it('asks the API for the first page of 50 with the route’s filters, and shows its rows and where they are', async () => {
    view.answer('GET /api/v1/items', itemList, { items: [{ name: 'a' }, { name: 'b' }], total: 120, limit: 50, offset: 50 });
    await view.render('itemsView', { query: { name: 'x', offset: '50' } });

    expect(view.requests).to.deep.equal(['GET /api/v1/items?name=x&offset=50&limit=50']);
    expect(
      await view.run(`return {
        title: root.querySelector('h1').textContent,
        filter: root.querySelector('form [name=name]').value,
        rows: [...root.querySelectorAll('.results tbody tr')].map((row) => row.textContent),
        pager: root.querySelector('.results nav span').textContent,
        next: [...root.querySelectorAll('.results nav a')].map((link) => link.getAttribute('href')),
      };`),
    ).to.deep.equal({ title: 'Items', filter: 'x', rows: ['a', 'b'], pager: '51–100 of 120', next: ['#/items?name=x&offset=0', '#/items?name=x&offset=100'] });
  });

  it('starts at offset 0 when the route has none or a bad one, and says so when nothing matches', async () => {
    view.answer('GET /api/v1/items', itemList, { items: [], total: 0, limit: 50, offset: 0 });
    await view.render('itemsView', { query: { offset: 'x' } });

    expect(view.requests).to.deep.equal(['GET /api/v1/items?offset=0&limit=50']);
    expect(await view.run(`return root.querySelector('.results').textContent;`)).to.include('No items match these filters.');
  });

  it('refreshes the rows every 5 s, keeping the filters', async () => {
    view.answer('GET /api/v1/items', itemList, { items: [{ name: 'a' }], total: 1, limit: 50, offset: 0 });
    await view.render('itemsView', { query: { name: 'a' } });
    view.answer('GET /api/v1/items', itemList, { items: [{ name: 'a' }, { name: 'new' }], total: 2, limit: 50, offset: 0 });
    await view.tick();

    expect(await view.run(`return timers.map((timer) => timer.ms);`)).to.deep.equal([5000]);
    expect(view.requests).to.have.length(2).and.to.satisfy((urls: string[]) => urls.every((url) => url.startsWith('GET /api/v1/items?name=a&')));
    expect(await view.run(`return [...root.querySelectorAll('.results tbody tr')].map((row) => row.textContent);`)).to.deep.equal(['a', 'new']);
  });

  it('navigates to the filtered route when the filter form is applied', async () => {
    view.answer('GET /api/v1/items', itemList, { items: [], total: 0, limit: 50, offset: 0 });
    await view.render('itemsView');

    expect(
      await view.run(`
        root.querySelector('form [name=name]').value = 'widget';
        root.querySelector('form').requestSubmit();
        return location.hash;
      `),
    ).to.equal('#/items?name=widget');
  });

  it('fails as the API does when it refuses the filters (the console shows the message)', async () => {
    view.answerError('GET /api/v1/items', 400, 'invalid_request', 'name: too long');
    const error = await view.render('itemsView', { query: { name: 'x'.repeat(300) } }).catch((reason: Error) => reason.message);
    expect(error).to.include('name: too long');
  });
});
