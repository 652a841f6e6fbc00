import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('filterForm', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['filter-form']);

  const setUp = `
    const applied = [];
    const form = modules['filter-form'].filterForm(
      [
        { name: 'repository', label: 'Repository', kind: 'text', placeholder: 'owner/name' },
        { name: 'status', label: 'Status', kind: 'select', options: ['queued', 'failed'] },
        { name: 'since', label: 'Since', kind: 'time' },
      ],
      new URLSearchParams('repository=octo/app&status=failed'),
      (query) => applied.push(query.toString()),
    );
    document.body.appendChild(form);
  `;

  it('fills the fields from the route\'s query, each labelled', async () => {
    expect(
      await page().run(`${setUp}
        return [form.repository.value, form.status.value, form.since.value, [...form.querySelectorAll('label')].map((l) => [l.textContent, l.htmlFor])];
      `),
    ).to.deep.equal(['octo/app', 'failed', '', [['Repository', 'filter-repository'], ['Status', 'filter-status'], ['Since', 'filter-since']]]);
  });

  it('applies the filled fields as a query on submit, times in UTC, and an empty query on Clear', async () => {
    const [submitted, cleared, expectedSince] = await page().run<[string, string, string]>(`${setUp}
      form.repository.value = '  octo/web ';
      form.status.value = '';
      form.since.value = '2026-11-29T12:30:00';
      form.requestSubmit();
      form.reset();
      return [applied[0], applied[1], new Date('2026-11-29T12:30:00').toISOString()];
    `);
    expect(submitted).to.equal(new URLSearchParams({ repository: 'octo/web', since: expectedSince }).toString());
    expect(cleared).to.equal('');
  });
});
