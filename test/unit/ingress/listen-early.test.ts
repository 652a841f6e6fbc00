import { createServer } from 'node:http';
import { expect } from 'chai';
import { listenEarly } from '../../../src/ingress/listen-early.js';

const answer = (text: string) => (_request: unknown, response: { end(text: string): void }) => response.end(text);

describe('listenEarly', () => {
  it('answers with the initial listener until the application is served, then with the application', async () => {
    const listener = await listenEarly({ port: 0, host: '127.0.0.1', initial: answer('starting') });
    try {
      expect(listener.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${listener.url}/x`)).text()).to.equal('starting');
      listener.serve(answer('ready'));
      expect(await (await fetch(`${listener.url}/x`)).text()).to.equal('ready');
    } finally {
      listener.server.closeAllConnections();
      await new Promise((resolve) => listener.server.close(resolve));
    }
  });

  it('names a wildcard address as the loopback a local client reaches', async () => {
    const listener = await listenEarly({ port: 0, host: '0.0.0.0', initial: answer('x') });
    try {
      expect(listener.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await new Promise((resolve) => listener.server.close(resolve));
    }
  });

  it('bounds slow requests: 10 s for headers (GitHub gives up then), keep-alive above a load balancer\'s 60 s', async () => {
    const listener = await listenEarly({ port: 0, host: '127.0.0.1', initial: answer('x') });
    try {
      expect(listener.server).to.include({ headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 65_000 });
    } finally {
      await new Promise((resolve) => listener.server.close(resolve));
    }
  });

  it('rejects when the port is taken, so a conflict is reported at once', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as { port: number }).port;
      const error = await listenEarly({ port, host: '127.0.0.1', initial: answer('x') }).then(() => undefined, (e: unknown) => e);
      expect((error as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
