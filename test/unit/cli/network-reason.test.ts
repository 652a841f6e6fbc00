import { createServer } from 'node:net';
import { expect } from 'chai';
import { networkReason } from '../../../src/cli/network-reason.js';
import { freePort } from '../../helpers/tcp.js';

/** What fetch actually rejected with. */
async function fetchError(url: string, init?: RequestInit): Promise<unknown> {
  try {
    await fetch(url, init);
  } catch (error) {
    return error;
  }
  throw new Error('expected fetch to fail');
}

describe('networkReason', () => {
  it('names a refused connection by its code, as fetch reports it', async () => {
    expect(networkReason(await fetchError(`http://127.0.0.1:${await freePort()}/`))).to.equal('ECONNREFUSED');
  });

  it('says "no answer in time" for a timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      expect(networkReason(await fetchError(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(50) }))).to.equal('no answer in time');
    } finally {
      server.close();
    }
  });

  it('falls back to the cause\'s message, then the error\'s own, then the value', () => {
    expect(networkReason(new TypeError('fetch failed', { cause: new Error('other side closed') }))).to.equal('other side closed');
    expect(networkReason(new Error('plain'))).to.equal('plain');
    expect(networkReason('text')).to.equal('text');
  });

  it('finds the code inside an AggregateError cause (every address refused)', () => {
    const cause = Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]), { errors: [{}, { code: 'ECONNREFUSED' }] });
    expect(networkReason(new TypeError('fetch failed', { cause }))).to.equal('ECONNREFUSED');
  });
});
