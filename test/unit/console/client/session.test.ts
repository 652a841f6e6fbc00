import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('session', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['session']);

  it('keeps the token in sessionStorage only, until cleared', async () => {
    expect(
      await page().run(`
        const { session } = modules.session;
        const before = session.token();
        session.save('a-token-0123456789');
        const saved = [session.token(), localStorage.length, document.cookie];
        session.clear();
        return { before, saved, after: session.token() };
      `),
    ).to.deep.equal({ before: null, saved: ['a-token-0123456789', 0, ''], after: null });
  });
});
