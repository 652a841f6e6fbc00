import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('NAV_ITEMS', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['nav-items']);

  it('lists the sections in navigation order, each with a list view and detail views where ids are shown', async () => {
    expect(
      await page().run(`return modules['nav-items'].NAV_ITEMS.map((item) => [item.route, item.label, typeof item.list, typeof item.detail]);`),
    ).to.deep.equal([
      ['overview', 'Overview', 'function', 'undefined'],
      ['deliveries', 'Deliveries', 'function', 'function'],
      ['tasks', 'Tasks', 'function', 'function'],
      ['dead-letters', 'Dead letters', 'function', 'undefined'],
      ['recovery', 'Recovery', 'function', 'undefined'],
    ]);
  });
});
