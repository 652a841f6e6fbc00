import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { expect } from 'chai';
import { AppError } from '../../../src/errors/app-error.js';
import { readRawBody } from '../../../src/ingress/read-raw-body.js';
import { listen, type Listening } from '../../helpers/listen.js';

const LIMIT = 64 * 1024;

/** A server reading each request with readRawBody; each outcome is handed to the test. */
async function readingServer(): Promise<
  Listening & { arrival(): Promise<{ outcome: Promise<Buffer | AppError> }>; outcome(): Promise<Buffer | AppError> }
> {
  const outcomes: Array<Promise<Buffer | AppError>> = [];
  let arrived: (() => void) | undefined;
  const server = await listen((req, res) => {
    const outcome = readRawBody(req, { limit: LIMIT }).catch((error: AppError) => error);
    outcomes.push(outcome);
    arrived?.();
    void outcome.then((result) => {
      if (res.destroyed) return;
      res.statusCode = result instanceof AppError ? result.status : 200;
      res.end(result instanceof AppError ? result.code : String(result.length));
    });
  });
  // Resolves once the server has the request's headers; the outcome follows when the read ends.
  const arrival = async () => {
    if (outcomes.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
    return { outcome: outcomes.shift()! };
  };
  return { ...server, arrival, outcome: async () => (await arrival()).outcome };
}

describe('readRawBody', () => {
  let server: Awaited<ReturnType<typeof readingServer>>;
  beforeEach(async () => (server = await readingServer()));
  afterEach(() => server.close());

  it('returns the exact bytes sent, in many chunks', async () => {
    const body = randomBytes(LIMIT);
    const response = await fetch(server.url, { method: 'POST', body });
    expect(await response.text()).to.equal(String(LIMIT));
    expect(Buffer.compare((await server.outcome()) as Buffer, body)).to.equal(0);
  });

  it('returns an empty buffer for an empty body', async () => {
    await fetch(server.url, { method: 'POST', body: '' });
    expect(((await server.outcome()) as Buffer).length).to.equal(0);
  });

  it('refuses a declared Content-Length over the limit before any of the body arrives', async () => {
    const req = request(server.url, { method: 'POST', headers: { 'content-length': String(LIMIT + 1) } });
    req.on('error', () => undefined);
    req.flushHeaders();
    const outcome = await server.outcome();
    req.destroy();
    expect(outcome).to.be.instanceOf(AppError);
    expect(outcome).to.include({ code: 'payload_too_large', message: `the request body exceeds the limit of ${LIMIT} bytes` });
  });

  it('refuses a chunked body as soon as it grows past the limit, without its end', async () => {
    const req = request(server.url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    req.on('error', () => undefined);
    req.write(randomBytes(LIMIT));
    req.write(randomBytes(1));
    const outcome = await server.outcome();
    req.destroy();
    expect(outcome).to.deep.include({ code: 'payload_too_large' });
  });

  it('fails with bad_request when the client goes away mid-body', async () => {
    const req = request(server.url, { method: 'POST', headers: { 'content-length': '1000' } });
    req.on('error', () => undefined);
    req.write(randomBytes(10));
    const { outcome: pending } = await server.arrival();
    req.destroy();
    const outcome = await pending;
    expect(outcome).to.be.instanceOf(AppError);
    expect(outcome).to.include({ code: 'bad_request', message: 'the request body could not be read' });
  });
});
