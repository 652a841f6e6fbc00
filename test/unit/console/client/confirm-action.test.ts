import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('confirmAction', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['confirm-action']);

  const ask = `const answer = modules['confirm-action'].confirmAction({ title: 'Retry task', message: 'It runs again.', confirmLabel: 'Retry' }); const dialog = document.querySelector('dialog');`;

  it('asks in a modal dialog with Cancel focused, and answers yes on confirm, removing the dialog', async () => {
    expect(
      await page().run(`${ask}
        const shown = { open: dialog.open, title: dialog.querySelector('h2').textContent, focused: document.activeElement.textContent };
        dialog.querySelector('button[value=confirm]').click();
        return { ...shown, answer: await answer, left: document.querySelectorAll('dialog').length };
      `),
    ).to.deep.equal({ open: true, title: 'Retry task', focused: 'Cancel', answer: true, left: 0 });
  });

  it('answers no on Cancel and on Escape', async () => {
    expect(await page().run(`${ask} dialog.querySelector('button[value=cancel]').click(); return answer;`)).to.equal(false);
    await page().run(`${ask} window.pending = answer; return true;`);
    await page().page.keyboard.press('Escape');
    expect(await page().run(`return window.pending;`)).to.equal(false);
    expect(await page().run(`return document.querySelectorAll('dialog').length;`)).to.equal(0);
  });
});
