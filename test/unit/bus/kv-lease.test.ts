import { expect } from 'chai';
import type { KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createKvLease, openLeaseBucket } from '../../../src/bus/kv-lease.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';

describe('createKvLease', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace();
  let nc: NatsConnection;
  let kv: KV;
  before(async () => {
    nc = await connect({ servers: NATS_URL });
    kv = await openLeaseBucket(nc, `${namespace}_lease`, 1000);
  });
  after(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  it('is held by one holder at a time: a second holder cannot take a live lease', async () => {
    const first = createKvLease({ kv, key: 'k1', holder: 'a' });
    const second = createKvLease({ kv, key: 'k1', holder: 'b' });
    expect(await first.acquire()).to.equal(true);
    expect(first.held).to.equal(true);
    expect(await second.acquire()).to.equal(false);
    expect(second.held).to.equal(false);
    expect(await first.renew()).to.equal(true);
    expect(await second.renew()).to.equal(false);
    expect((await kv.get('k1'))?.string()).to.equal('a');
  });

  it('lets another holder take the lease once it is released, without waiting for the TTL', async () => {
    const first = createKvLease({ kv, key: 'k2', holder: 'a' });
    const second = createKvLease({ kv, key: 'k2', holder: 'b' });
    await first.acquire();
    await first.release();
    expect(first.held).to.equal(false);
    expect(await second.acquire()).to.equal(true);
  });

  it('is lost by a holder that stopped renewing: its entry expires, another takes it, and its renewal fails', async () => {
    const crashed = createKvLease({ kv, key: 'k3', holder: 'a' });
    const next = createKvLease({ kv, key: 'k3', holder: 'b' });
    await crashed.acquire();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await next.acquire()).to.equal(true);
    expect(await crashed.renew()).to.equal(false);
    expect(crashed.held).to.equal(false);
    expect((await kv.get('k3'))?.string()).to.equal('b');
  });
});
