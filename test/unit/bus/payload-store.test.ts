import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createPayloadStore, sha256Hex, type PayloadStore } from '../../../src/bus/payload-store.js';
import type { AppError } from '../../../src/errors/app-error.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

const rejectionOf = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a rejection'), (error: unknown) => error as AppError);

describe('createPayloadStore', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let store: PayloadStore;
  before(async () => {
    scratch = await openScratchJetStream();
    store = await createPayloadStore({ nc: scratch.nc, bucket: scratch.topology.payloadBucket });
  });
  after(() => scratch.close());

  it('stores bytes under <bucket>/<name> with their SHA-256, and gives them back exactly', async () => {
    const bytes = randomBytes(2 * 1024 * 1024);
    const stored = await store.put('delivery-1', bytes);
    expect(stored).to.deep.equal({ ref: `${scratch.topology.payloadBucket}/delivery-1`, sha256: sha256Hex(bytes) });
    expect(Buffer.compare(Buffer.from(await store.get(stored.ref, stored.sha256)), bytes)).to.equal(0);
  });

  it('refuses bytes that do not match the digest the message carries', async () => {
    const stored = await store.put('delivery-2', Buffer.from('{"a":1}'));
    const error = await rejectionOf(store.get(stored.ref, sha256Hex(Buffer.from('{"a":2}'))));
    expect(error).to.include({ code: 'permanent_failure', message: `payload ${stored.ref} does not match its digest` });
  });

  it('refuses a reference to another bucket and one no longer stored', async () => {
    expect(await rejectionOf(store.get('other_bucket/delivery-1'))).to.include({ code: 'permanent_failure' });
    const stored = await store.put('delivery-3', Buffer.from('x'));
    await store.delete(stored.ref);
    expect((await rejectionOf(store.get(stored.ref))).message).to.equal(`payload ${stored.ref} is no longer in the object store`);
  });
});

describe('sha256Hex', () => {
  it('is the hex SHA-256 of the bytes', () => {
    expect(sha256Hex(Buffer.from('abc'))).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
