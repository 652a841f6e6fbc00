import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface BytesReadAtAnswer {
  /** Server-side `socket.bytesRead` when the answer to the request with this X-GitHub-Delivery was sent. */
  of(deliveryId: string): number | undefined;
  stop(): void;
}

/**
 * Records, for each request the server answers, how many bytes the service had read off that
 * request's socket when its response was handed to the OS (the response's 'finish' event).
 * This measures what the service consumed, not what the client's kernel happened to buffer.
 * Counts the request line and headers too; keyed by X-GitHub-Delivery.
 */
export function bytesReadAtAnswer(server: Server): BytesReadAtAnswer {
  const seen = new Map<string, number>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const deliveryId = req.headers['x-github-delivery'];
    if (typeof deliveryId !== 'string') return;
    const socket = req.socket;
    res.once('finish', () => seen.set(deliveryId, socket.bytesRead));
  };
  server.on('request', onRequest);
  return {
    of: (deliveryId) => seen.get(deliveryId),
    stop: () => void server.off('request', onRequest),
  };
}
