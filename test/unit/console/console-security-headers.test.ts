import Koa from 'koa';
import { expect } from 'chai';
import { CONSOLE_CSP, setConsoleSecurityHeaders } from '../../../src/console/console-security-headers.js';
import { listen } from '../../helpers/listen.js';

describe('setConsoleSecurityHeaders', () => {
  it('allows this origin only, nothing inline, no framing, no referrer', async () => {
    const app = new Koa();
    app.use((ctx) => {
      setConsoleSecurityHeaders(ctx);
      ctx.body = 'ok';
    });
    const server = await listen(app.callback());
    try {
      const headers = (await fetch(server.url)).headers;
      expect(headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
      expect(CONSOLE_CSP.split('; ')).to.include.members(["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]);
      expect(CONSOLE_CSP).to.not.include('unsafe-inline');
      expect(headers.get('x-content-type-options')).to.equal('nosniff');
      expect(headers.get('x-frame-options')).to.equal('DENY');
      expect(headers.get('referrer-policy')).to.equal('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).to.equal('same-origin');
    } finally {
      await server.close();
    }
  });
});
