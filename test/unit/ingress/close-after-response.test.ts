import { connect } from 'node:net';
import { expect } from 'chai';
import { closeAfterResponse } from '../../../src/ingress/close-after-response.js';
import { listen, type Listening } from '../../helpers/listen.js';

/**
 * Sends a request that declares a large body and keeps sending it after the early answer, then
 * ends; resolves with everything the server sent and how the connection ended.
 */
function sendOversized(port: number): Promise<{ received: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let reset = false;
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The answer has arrived: keep sending some more of the body, as a client that does not
      // read while writing would, then finish the request.
      if (received.includes('\r\n\r\n') && !socket.writableEnded) {
        socket.write(Buffer.alloc(256 * 1024, 1));
        socket.end(Buffer.alloc(64 * 1024, 1));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
    });
    socket.on('close', () => resolve({ received, reset }));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n');
    socket.write(Buffer.alloc(64 * 1024, 1));
  });
}

describe('closeAfterResponse', () => {
  let server: Listening;
  afterEach(() => server.close());

  it('delivers an early answer and closes without resetting a client still sending', async () => {
    server = await listen((req, res) => {
      closeAfterResponse(req, res, 10_000);
      res.statusCode = 413;
      res.end('too large');
    });
    const { received, reset } = await sendOversized(server.port);
    expect(received).to.match(/^HTTP\/1\.1 413 /);
    expect(received.toLowerCase()).to.contain('connection: close');
    expect(received).to.match(/too large$/);
    expect(reset).to.equal(false);
  });
});
