import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createInstallationActor } from '../../../../src/actors/installation/installation-actor.js';
import { getDelivery } from '../../../../src/effects/db/delivery-store.js';
import { getInstallation } from '../../../../src/effects/db/installation-store.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { useActorBatch } from '../../../helpers/actor-batch.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

describe('createInstallationActor', function () {
  this.timeout(30_000);
  const harness = useActorBatch();
  const fork = () => harness.db().orm.em.fork();

  const handle = async (event: string, payload: Record<string, unknown>) => {
    const deliveryId = randomUUID();
    const item = harness.item({ ...envelopeOf(event, payload), deliveryId });
    const [result] = await createInstallationActor({ payloadStore: harness.scratch().payloadStore }).handleBatch([item], harness.context());
    return { result, delivery: (await getDelivery(fork(), deliveryId))!.delivery };
  };
  const withId = (payload: Record<string, unknown>, id: number): Record<string, unknown> => ({ ...payload, installation: { ...(payload.installation as object), id } });

  it('reads both installation durables one message at a time', () => {
    expect(createInstallationActor({ payloadStore: harness.scratch().payloadStore })).to.deep.include({
      name: 'installation',
      durables: ['actor_installation', 'actor_installation_repositories'],
      batch: { maxSize: 1, maxWaitMs: 0 },
      concurrency: 1,
    });
  });

  it('keeps the installation record from created, and records the delivery processed', async () => {
    const id = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    const { result, delivery } = await handle('installation', withId(examplePayload('installation', (p) => p.action === 'created'), id));
    expect(result).to.equal('processed');
    expect(delivery).to.deep.include({ outcome: 'processed', error: null });
    expect(await getInstallation(fork(), id)).to.deep.include({ id, status: 'active' });
  });

  it('records the status an event sets (suspend), and the repositories added and removed', async () => {
    const id = 910_000_000 + Math.floor(Math.random() * 1_000_000);
    await handle('installation', withId(examplePayload('installation', (p) => p.action === 'created'), id));
    await handle('installation', withId(examplePayload('installation', (p) => p.action === 'suspend'), id));
    expect((await getInstallation(fork(), id))!.status).to.equal('suspended');
    const change = withId(examplePayload('installation_repositories', (p) => p.action === 'added'), id);
    const added = ((change.repositories_added as Array<{ full_name: string }>) ?? []).map((r) => r.full_name);
    await handle('installation_repositories', change);
    expect((await getInstallation(fork(), id))!.repositories).to.include.members(added);
  });

  it('keeps an event about an installation it never saw created as a delivery only, saying so', async () => {
    const unknown = 920_000_000 + Math.floor(Math.random() * 1_000_000);
    const { result, delivery } = await handle('installation_repositories', withId(examplePayload('installation_repositories', (p) => p.action === 'added'), unknown));
    expect(result).to.equal('processed');
    expect(delivery).to.deep.include({ outcome: 'processed', error: 'installation was not known' });
    expect(await getInstallation(fork(), unknown)).to.equal(null);
  });

  it('records a payload that describes no installation as ignored, with the reason', async () => {
    const { result, delivery } = await handle('installation', { action: 'created' });
    expect(result).to.equal('ignored');
    expect(delivery).to.deep.include({ outcome: 'ignored', error: 'payload does not describe an installation' });
  });
});
