import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server for one test; `close()` drops its connections too. */
export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `handler` (a Node listener, e.g. Koa's `app.callback()`) on 127.0.0.1 at a free port. */
export async function listen(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
