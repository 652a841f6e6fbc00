import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('currentRoute and routeHash', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['route']);

  it('reads the view, the id and the query from the hash; the overview without one', async () => {
    expect(
      await page().run(`
        const read = (hash) => { location.hash = hash; const r = modules.route.currentRoute(); return [r.view, r.id ?? null, r.query.toString()]; };
        return [read(''), read('#/tasks'), read('#/deliveries/a%2Fb?outcome=failed'), read('#/tasks/t-1')];
      `),
    ).to.deep.equal([
      ['overview', null, ''],
      ['tasks', null, ''],
      ['deliveries', 'a/b', 'outcome=failed'],
      ['tasks', 't-1', ''],
    ]);
  });

  it('writes a hash with the id encoded and only the query values given', async () => {
    expect(
      await page().run(`
        const { routeHash } = modules.route;
        return [routeHash('tasks'), routeHash('deliveries', 'a/b'), routeHash('deliveries', undefined, { event: 'push', outcome: undefined, action: '' }), routeHash('tasks', undefined, new URLSearchParams('status=failed'))];
      `),
    ).to.deep.equal(['#/tasks', '#/deliveries/a%2Fb', '#/deliveries?event=push', '#/tasks?status=failed']);
  });
});
