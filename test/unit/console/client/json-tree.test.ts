import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('jsonTree', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['json-tree']);

  it('shows the top level open, keys and values as text, counts on objects and arrays', async () => {
    expect(
      await page().run(`
        const tree = modules['json-tree'].jsonTree({ action: 'opened', number: 7, draft: false, labels: ['a'], body: null });
        return {
          open: tree.querySelector('details').open,
          leaves: [...tree.querySelectorAll('.json-leaf')].map((leaf) => leaf.textContent),
          counts: [...tree.querySelectorAll('.json-count')].map((c) => c.textContent),
        };
      `),
    ).to.deep.equal({ open: true, leaves: ['action: "opened"', 'number: 7', 'draft: false', 'body: null'], counts: ['{5}', '[1]'] });
  });

  it('builds a deeper level only when it is opened', async () => {
    expect(
      await page().run(`
        const tree = modules['json-tree'].jsonTree({ pull_request: { number: 7 } });
        const inner = tree.querySelector('details .json-children details');
        const before = inner.querySelectorAll('.json-leaf').length;
        inner.open = true;
        await new Promise((resolve) => inner.addEventListener('toggle', resolve, { once: true }));
        return { before, after: inner.querySelectorAll('.json-leaf').length };
      `),
    ).to.deep.equal({ before: 0, after: 1 });
  });

  it('inserts a payload holding markup as text', async () => {
    expect(await page().run(`const t = modules['json-tree'].jsonTree({ title: '<script>x</script>' }); return t.querySelectorAll('script').length;`)).to.equal(0);
  });
});
