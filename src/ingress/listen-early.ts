import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The HTTP listener, bound before the service's dependencies are reached. */
export interface EarlyListener {
  server: Server;
  /** `http://host:port` as a client on this machine reaches it. */
  url: string;
  /** Hands every later request to `listener` (the full application once it is built). */
  serve(listener: RequestListener): void;
}

/** Options of {@link listenEarly}. */
export interface ListenEarlyOptions {
  port: number;
  host: string;
  /** What answers until {@link EarlyListener.serve} is called (see `createStartupResponder`). */
  initial: RequestListener;
}

/**
 * Binds the HTTP port first, so that probes get an answer (and a port conflict is reported) while
 * NATS and PostgreSQL are still being reached; the full application is swapped in afterwards.
 */
export async function listenEarly(options: ListenEarlyOptions): Promise<EarlyListener> {
  let current = options.initial;
  const server = createServer((request, response) => current(request, response));
  // GitHub waits 10 s; a request that has not sent its headers by then will not be answered usefully.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  return {
    server,
    url: `http://${host}:${address.port}`,
    serve(listener) {
      current = listener;
    },
  };
}
