import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from '@koa/router';
import { createOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

/** Options of {@link createDocsRouter}. */
export interface DocsRouterOptions {
  /** Default: {@link createOpenApiDocument}() — built once, served as is. */
  document?: OpenApiDocument;
}

// The swagger-ui-dist files the page uses, and nothing else: a fixed list cannot be walked out of.
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

// The page loads only same-origin files (no CDN); the initializer is a file, not an inline script.
const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>webhook-orchestrator API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="stylesheet" type="text/css" href="/docs/index.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
    <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="/docs/swagger-initializer.js" charset="UTF-8"></script>
  </body>
</html>
`;

const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
};
`;

/**
 * GET /openapi.json and GET /docs (Swagger UI from the swagger-ui-dist package, its assets under
 * /docs/), without authentication: the document describes the API, it grants nothing. The page
 * uses absolute /docs/ paths so that /docs and /docs/ both work without a redirect.
 */
export function createDocsRouter(options: DocsRouterOptions = {}): Router {
  const document = options.document ?? createOpenApiDocument();
  const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const router = new Router();

  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document;
  });

  router.get(['/docs', '/docs/', '/docs/index.html'], (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = PAGE;
  });

  router.get('/docs/swagger-initializer.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = INITIALIZER;
  });

  router.get('/docs/:asset', (ctx, next) => {
    const type = Object.hasOwn(ASSETS, ctx.params.asset!) ? ASSETS[ctx.params.asset!] : undefined;
    if (type === undefined) return next();
    ctx.type = type;
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The package version is pinned, so its files only change with a deployment.
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = createReadStream(join(distDir, ctx.params.asset!));
  });

  return router;
}
