import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from '@koa/router';
import { AppError } from '../errors/app-error.js';
import { consolePage } from './console-page.js';
import { setConsoleSecurityHeaders } from './console-security-headers.js';

/** Options of {@link createConsoleRouter}. */
export interface ConsoleRouterOptions {
  /** API_TOKEN is set. Without it the page only says how to enable the management API. */
  apiEnabled: boolean;
  /**
   * Where `npm run build` put the client bundle. Default: `dist/console` of this package, the same
   * folder whether this module runs from `src/console` (tsx) or `dist/console` (npm start).
   */
  assetsDir?: string;
}

/** The bundle's files, and nothing else: a fixed list cannot be walked out of. */
const ASSETS: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css.map': 'application/json; charset=utf-8',
};

/** The default bundle folder (see {@link ConsoleRouterOptions.assetsDir}). */
export const DEFAULT_CONSOLE_ASSETS_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));

/**
 * GET /console: the web console, served by the service from its own files (no CDN). The page and
 * its assets need no token and hold no data; every view fetches the management API with the
 * bearer token the operator signs in with, so the API's auth, validation and audit logs apply.
 * Every response under /console, errors included, carries the console's CSP.
 */
export function createConsoleRouter(options: ConsoleRouterOptions): Router {
  const assetsDir = options.assetsDir ?? DEFAULT_CONSOLE_ASSETS_DIR;
  const page = consolePage({ apiEnabled: options.apiEnabled });
  const router = new Router();

  router.get(['/console', '/console/'], (ctx) => {
    setConsoleSecurityHeaders(ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page;
  });

  router.all('/console/*rest', async (ctx) => {
    setConsoleSecurityHeaders(ctx);
    const name = ctx.path.slice('/console/'.length);
    const type = ctx.method === 'GET' && Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (type === undefined) throw new AppError('not_found', `no console file ${ctx.path}`);
    const file = join(assetsDir, name);
    const built = await access(file).then(() => true, () => false);
    if (!built) throw new AppError('unavailable', 'the console is not built: run npm run build', { retryAfterSeconds: 60 });
    ctx.type = type;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = createReadStream(file);
  });

  return router;
}
