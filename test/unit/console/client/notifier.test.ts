import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('createNotifier', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['notifier']);

  it('shows the latest result in a polite live region, replacing the previous one, until dismissed', async () => {
    expect(
      await page().run(`
        const region = document.createElement('div');
        const notify = modules.notifier.createNotifier(region);
        notify('success', 'task re-queued');
        notify('error', '<b>409</b> conflict');
        const shown = { role: region.getAttribute('role'), live: region.getAttribute('aria-live'), notes: region.children.length, kind: region.firstElementChild.dataset.kind, text: region.querySelector('span').textContent, bold: region.querySelectorAll('b').length };
        region.querySelector('button').click();
        return { ...shown, afterDismiss: region.children.length };
      `),
    ).to.deep.equal({ role: 'status', live: 'polite', notes: 1, kind: 'error', text: '<b>409</b> conflict', bold: 0, afterDismiss: 0 });
  });
});
