import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('dataTable, facts and badge', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['data-table']);

  it('builds a table with column headers, one row per item, narrow-screen columns marked wide', async () => {
    expect(
      await page().run(`
        const table = modules['data-table'].dataTable(
          [{ header: 'Id', cell: (r) => r.id }, { header: 'Reason', cell: (r) => r.reason, wide: true }],
          [{ id: 'a', reason: '<b>x</b>' }, { id: 'b', reason: null }],
          'nothing',
        );
        return {
          frame: table.className,
          headers: [...table.querySelectorAll('th')].map((th) => [th.textContent, th.className, th.getAttribute('scope')]),
          cells: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
          bold: table.querySelectorAll('b').length,
        };
      `),
    ).to.deep.equal({ frame: 'table-frame', headers: [['Id', '', 'col'], ['Reason', 'wide', 'col']], cells: [['a', '<b>x</b>'], ['b', '']], bold: 0 });
  });

  it('says the empty text instead of an empty table', async () => {
    expect(await page().run(`return modules['data-table'].dataTable([{ header: 'Id', cell: (r) => r }], [], 'No tasks.').outerHTML;`)).to.equal('<p class="empty">No tasks.</p>');
  });

  it('lists facts as a definition list, — for a missing value', async () => {
    expect(await page().run(`return modules['data-table'].facts([['Status', 'queued'], ['Error', null]]).outerHTML;`)).to.equal(
      '<dl class="facts"><dt>Status</dt><dd>queued</dd><dt>Error</dt><dd>—</dd></dl>',
    );
  });

  it('colours a status good, bad, busy or plain', async () => {
    expect(await page().run(`return ['succeeded', 'dead', 'retrying', 'skipped', 'half_open'].map((s) => modules['data-table'].badge(s).className);`)).to.deep.equal([
      'badge good',
      'badge bad',
      'badge busy',
      'badge plain',
      'badge busy',
    ]);
  });
});
