import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { expect } from 'chai';
import { createDocsRouter } from '../../../src/api/docs-router.js';
import { ALL_OPERATIONS } from '../../../src/api/openapi-document.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { silentLogger } from '../../helpers/test-database.js';

describe('createDocsRouter', () => {
  let server: Server;
  let url: string;

  before(async () => {
    const app = createApp({ logger: silentLogger(), shutdownGate: createShutdownGate(), routers: [createDocsRouter()] });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('serves /openapi.json: an OpenAPI 3.1 document that validates and lists every operation', async () => {
    const response = await fetch(`${url}/openapi.json`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    expect(response.headers.get('x-request-id')).to.be.a('string');
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).to.equal('3.1.0');
    await SwaggerParser.validate(structuredClone(document) as never);
    for (const operation of ALL_OPERATIONS) {
      const path = operation.path.replace(/:(\w+)/g, '{$1}');
      expect(document.paths[path]?.[operation.method], `${operation.method} ${path}`).to.be.an('object');
    }
  });

  for (const path of ['/docs', '/docs/']) {
    it(`serves Swagger UI at ${path} from local files pointing at /openapi.json`, async () => {
      const response = await fetch(`${url}${path}`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/^text\/html/);
      const html = await response.text();
      expect(html).to.include('<div id="swagger-ui">');
      expect(html).to.include('src="/docs/swagger-ui-bundle.js"');
      expect(html).not.to.match(/https?:\/\//);
    });
  }

  it('serves the Swagger UI bundle, preset, stylesheet and the initializer', async () => {
    const bundle = await fetch(`${url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).to.equal(200);
    expect(bundle.headers.get('content-type')).to.match(/^text\/javascript/);
    const source = await bundle.text();
    expect(source.length).to.be.greaterThan(100_000);
    expect(source).to.include('SwaggerUIBundle');
    const preset = await fetch(`${url}/docs/swagger-ui-standalone-preset.js`);
    expect(preset.status).to.equal(200);
    await preset.arrayBuffer();
    const css = await fetch(`${url}/docs/swagger-ui.css`);
    expect(css.headers.get('content-type')).to.match(/^text\/css/);
    await css.arrayBuffer();
    const initializer = await (await fetch(`${url}/docs/swagger-initializer.js`)).text();
    expect(initializer).to.include("url: '/openapi.json'");
  });

  it('serves nothing else from the package directory', async () => {
    for (const path of ['/docs/package.json', '/docs/index.js', '/docs/..%2Fpackage.json', '/docs/%2e%2e/%2e%2e/package.json', '/docs/swagger-ui.js.map']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).to.equal(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    }
  });
});
