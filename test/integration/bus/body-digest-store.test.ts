import { expect } from 'chai';
import { Kvm } from '@nats-io/kv';
import { createBodyDigestStore } from '../../../src/bus/body-digest-store.js';
import { natsForSuite } from '../../helpers/test-nats.js';

describe('createBodyDigestStore', () => {
  const suite = natsForSuite();
  const bucket = `${suite.namespace}_webhook_digests`;

  it('lets the first delivery id claim a digest and tells every later caller whose it is', async () => {
    const store = createBodyDigestStore({ nc: suite.nc, bucket, ttlMs: 60_000 });
    const claim = await store.claim('aa11', 'delivery-1');
    expect(claim.kind).to.equal('claimed');
    expect(await store.claim('aa11', 'delivery-2')).to.deep.equal({ kind: 'seen', deliveryId: 'delivery-1' });
    expect(await store.claim('aa11', 'delivery-1')).to.deep.equal({ kind: 'seen', deliveryId: 'delivery-1' });
  });

  it('gives a digest to exactly one of many concurrent claimers, across separate stores', async () => {
    const stores = [createBodyDigestStore({ nc: suite.nc, bucket, ttlMs: 60_000 }), createBodyDigestStore({ nc: suite.nc, bucket, ttlMs: 60_000 })];
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => stores[i % 2]!.claim('bb22', `delivery-${i}`)));
    const winners = claims.filter((claim) => claim.kind === 'claimed');
    expect(winners).to.have.length(1);
    const owner = `delivery-${claims.indexOf(winners[0]!)}`;
    expect(claims.filter((claim) => claim.kind === 'seen').every((claim) => claim.kind === 'seen' && claim.deliveryId === owner)).to.equal(true);
  });

  it('makes a released digest claimable again, and releases only the claim it was given', async () => {
    const store = createBodyDigestStore({ nc: suite.nc, bucket, ttlMs: 60_000 });
    const first = await store.claim('cc33', 'delivery-1');
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    await store.release('cc33', first.revision);
    const second = await store.claim('cc33', 'delivery-2');
    expect(second.kind).to.equal('claimed');
    // A stale release (the first claim's revision) must not remove the second delivery's claim.
    await store.release('cc33', first.revision).then(
      () => expect.fail('a stale release must be refused'),
      () => undefined,
    );
    expect(await store.claim('cc33', 'delivery-3')).to.deep.equal({ kind: 'seen', deliveryId: 'delivery-2' });
  });

  it('applies a changed TTL to an existing bucket', async () => {
    const other = `${suite.namespace}_ttl_digests`;
    await createBodyDigestStore({ nc: suite.nc, bucket: other, ttlMs: 60_000 }).claim('dd44', 'delivery-1');
    await createBodyDigestStore({ nc: suite.nc, bucket: other, ttlMs: 120_000 }).claim('ee55', 'delivery-2');
    const status = await (await new Kvm(suite.nc).open(other)).status();
    expect(status.ttl).to.equal(120_000);
  });

  it('rejects claims while the bucket cannot be opened, so the caller can degrade', async () => {
    const store = createBodyDigestStore({ nc: suite.nc, bucket: 'not a valid bucket name', ttlMs: 60_000 });
    let rejected = false;
    await store.claim('ff66', 'delivery-1').catch(() => (rejected = true));
    expect(rejected).to.equal(true);
  });
});
