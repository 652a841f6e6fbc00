import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { sharedChromiumContext, type HeadlessChromium } from './headless-chromium.js';
import { listen } from './listen.js';

/** A blank page in the real Chromium with console client modules loaded as `window.modules[name]`. */
export interface ClientModulesPage {
  page: Page;
  /** Runs `body` (browser code, as text) with `modules` in scope and returns its JSON-able result. */
  run<T = unknown>(body: string): Promise<T>;
  close(): Promise<void>;
}

const clientFile = (name: string) => fileURLToPath(new URL(`../../src/console/client/${name}.ts`, import.meta.url));

/**
 * Bundles the named modules of src/console/client (e.g. `el`, `views/tasks-view`) with esbuild, as
 * the console's own build does, and loads them into a page of the installed headless Chromium, so
 * their unit tests run against a real DOM (a fresh context of the run's one shared browser). Names are exposed as given (`modules['views/tasks-view']`).
 * `api` answers every other request to the page's origin (the management API the modules call).
 */
export async function openClientModulesPage(names: readonly string[], api?: RequestListener): Promise<ClientModulesPage> {
  const contents = [
    ...names.map((name, index) => `import * as m${index} from ${JSON.stringify(clientFile(name))};`),
    `window.modules = { ${names.map((name, index) => `${JSON.stringify(name)}: m${index}`).join(', ')} };`,
  ].join('\n');
  const bundle = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'iife', target: ['es2022'], write: false, logLevel: 'warning' });
  // A page of a real (loopback) origin: storage and location work as on the service's own page.
  const server = await listen((request, response) => {
    if (api && request.url !== '/console') return api(request, response);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
  });
  const chromium: HeadlessChromium = await sharedChromiumContext();
  const page = await chromium.context.newPage();
  await page.goto(`${server.url}/console`);
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  return {
    page,
    run: <T>(body: string) => page.evaluate(`(async () => { const modules = window.modules; ${body} })()`) as Promise<T>,
    close: async () => {
      await chromium.close();
      await server.close();
    },
  };
}

/**
 * Registers the mocha hooks of a client module test file: one page with `names` loaded for the
 * file (see {@link openClientModulesPage}), closed after it. Call inside `describe`.
 */
export function useClientModulesPage(names: readonly string[], api?: RequestListener): () => ClientModulesPage {
  let browser: ClientModulesPage | undefined;
  before(async function () {
    this.timeout(30_000);
    browser = await openClientModulesPage(names, api);
  });
  after(() => browser?.close());
  return () => browser!;
}
