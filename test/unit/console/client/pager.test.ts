import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('pager', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['pager']);

  const render = (total: number, limit: number, offset: number) =>
    page().run<{ text: string; links: Array<[string, string | null]> }>(`
      const nav = modules.pager.pager(${total}, ${limit}, ${offset}, (o) => '#/tasks?offset=' + o);
      return { text: nav.querySelector('span').textContent, links: [...nav.children].slice(1).map((c) => [c.textContent, c.getAttribute('href')]) };
    `);

  it('says which rows are shown of how many, with links to the pages around', async () => {
    expect(await render(120, 50, 50)).to.deep.equal({ text: '51–100 of 120', links: [['Previous', '#/tasks?offset=0'], ['Next', '#/tasks?offset=100']] });
  });

  it('disables Previous on the first page and Next on the last', async () => {
    expect(await render(120, 50, 0)).to.deep.equal({ text: '1–50 of 120', links: [['Previous', null], ['Next', '#/tasks?offset=50']] });
    expect(await render(120, 50, 100)).to.deep.equal({ text: '101–120 of 120', links: [['Previous', '#/tasks?offset=50'], ['Next', null]] });
    expect(await render(0, 50, 0)).to.deep.equal({ text: '0 of 0', links: [['Previous', null], ['Next', null]] });
  });
});
