import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createConsoleRouter } from '../../../src/console/console-router.js';
import { CONSOLE_CSP } from '../../../src/console/console-security-headers.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { listen, type Listening } from '../../helpers/listen.js';
import { silentLogger } from '../../helpers/test-database.js';

describe('createConsoleRouter', () => {
  let assetsDir: string;
  let server: Listening;
  let unbuilt: Listening;
  before(async () => {
    assetsDir = await mkdtemp(join(tmpdir(), 'console-assets-'));
    await writeFile(join(assetsDir, 'app.js'), 'console.log("app")');
    await writeFile(join(assetsDir, 'secret.txt'), 'not an asset');
    const app = (dir: string, apiEnabled = true) =>
      createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [createConsoleRouter({ apiEnabled, assetsDir: dir })] }).callback();
    server = await listen(app(assetsDir));
    unbuilt = await listen(app(join(assetsDir, 'missing')));
  });
  after(async () => {
    await Promise.all([server.close(), unbuilt.close()]);
    await rm(assetsDir, { recursive: true, force: true });
  });

  it('serves the page at /console and /console/ with the CSP, never cached', async () => {
    for (const path of ['/console', '/console/']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
      expect(response.headers.get('cache-control')).to.equal('no-cache');
      expect(await response.text()).to.include('<form id="sign-in"');
    }
  });

  it('serves a bundle file with its type', async () => {
    const response = await fetch(`${server.url}/console/app.js`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(await response.text()).to.equal('console.log("app")');
  });

  it('serves nothing but the bundle\'s files: another file of the folder, a path out of it, a POST are 404, with the CSP', async () => {
    for (const [method, path] of [['GET', '/console/secret.txt'], ['GET', '/console/..%2Fpackage.json'], ['GET', '/console/app.js.bak'], ['POST', '/console/app.js']]) {
      const response = await fetch(`${server.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).to.equal(404);
      expect(response.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
    }
  });

  it('answers 503 with Retry-After when the bundle was not built', async () => {
    const response = await fetch(`${unbuilt.url}/console/app.js`);
    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('60');
    expect(((await response.json()) as any).error.message).to.equal('the console is not built: run npm run build');
  });
});
