import { expect } from 'chai';
import { consolePage } from '../../../src/console/console-page.js';

describe('consolePage', () => {
  it('is the sign-in form, loading the client from this origin, when the management API is enabled', () => {
    const page = consolePage({ apiEnabled: true });
    expect(page).to.include('<form id="sign-in"');
    expect(page).to.include('<script type="module" src="/console/app.js"></script>');
    expect(page).to.include('<link rel="stylesheet" href="/console/app.css">');
  });

  it('says how to enable the management API, and loads no script, when it is disabled', () => {
    const page = consolePage({ apiEnabled: false });
    expect(page).to.include('The management API is disabled');
    expect(page).to.include('API_TOKEN');
    expect(page).to.not.include('<script');
    expect(page).to.not.include('<form');
  });

  it('holds no inline script or style, which the CSP would refuse', () => {
    for (const apiEnabled of [true, false]) {
      const page = consolePage({ apiEnabled });
      expect(page).to.not.match(/<script(?![^>]*\bsrc=)/);
      expect(page).to.not.match(/<style|style="/);
    }
  });
});
