import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Closes the connection gracefully after an early answer (413) while the client may still be
 * sending: the unread body is discarded as it arrives, our side is half-closed once the response
 * is flushed, and the socket is destroyed only when the client has finished or `lingerMs` passed.
 * Closing with unread bytes would send a TCP RST, and the client could lose the answer.
 */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse, lingerMs = 5000): void {
  res.setHeader('Connection', 'close');
  const socket = req.socket;
  // Node calls destroySoon() after a `Connection: close` response; make it linger instead.
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    this.end();
    const timer = setTimeout(() => this.destroy(), lingerMs);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.resume();
  };
  req.resume();
}
