import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { context as otelContext } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { BatchContext, BatchItem } from '../../../../src/actors/actor-definition.js';
import { createInstallationActor } from '../../../../src/actors/installation/installation-actor.js';
import type { WebhookEnvelope } from '../../../../src/contracts/webhook-envelope.js';
import { getDelivery } from '../../../../src/effects/db/delivery-store.js';
import { getInstallation } from '../../../../src/effects/db/installation-store.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { openScratchJetStream, type ScratchJetStream } from '../../../helpers/scratch-jetstream.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../../helpers/test-database.js';
import { envelopeOf } from '../../../helpers/webhook-envelope.js';

describe('createInstallationActor', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let scratch: ScratchJetStream;
  let message: JsMsg;
  before(async () => {
    [db, scratch] = await Promise.all([createTestDatabase(), openScratchJetStream()]);
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.installation.created'), '{}');
    message = await scratch.messageAt(scratch.topology.streams.github, seq);
  });
  after(async () => {
    await scratch?.close();
    await db?.close();
  });

  const handle = async (event: string, payload: Record<string, unknown>) => {
    const deliveryId = randomUUID();
    const item: BatchItem<WebhookEnvelope> = { input: { ...envelopeOf(event, payload), deliveryId }, message, log: silentLogger(), trace: otelContext.active() };
    const context: BatchContext = { em: db.orm.em.fork(), log: silentLogger(), working: () => undefined, stopping: () => false };
    const [result] = await createInstallationActor({ payloadStore: scratch.payloadStore }).handleBatch([item], context);
    return { result, delivery: (await getDelivery(db.orm.em.fork(), deliveryId))!.delivery };
  };
  const withId = (payload: Record<string, unknown>, id: number): Record<string, unknown> => ({ ...payload, installation: { ...(payload.installation as object), id } });

  it('reads both installation durables one message at a time', () => {
    expect(createInstallationActor({ payloadStore: scratch.payloadStore })).to.deep.include({
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
    expect(await getInstallation(db.orm.em.fork(), id)).to.deep.include({ id, status: 'active' });
  });

  it('records the status an event sets (suspend), and the repositories added and removed', async () => {
    const id = 910_000_000 + Math.floor(Math.random() * 1_000_000);
    await handle('installation', withId(examplePayload('installation', (p) => p.action === 'created'), id));
    await handle('installation', withId(examplePayload('installation', (p) => p.action === 'suspend'), id));
    expect((await getInstallation(db.orm.em.fork(), id))!.status).to.equal('suspended');
    const change = withId(examplePayload('installation_repositories', (p) => p.action === 'added'), id);
    const added = ((change.repositories_added as Array<{ full_name: string }>) ?? []).map((r) => r.full_name);
    await handle('installation_repositories', change);
    expect((await getInstallation(db.orm.em.fork(), id))!.repositories).to.include.members(added);
  });

  it('keeps an event about an installation it never saw created as a delivery only, saying so', async () => {
    const unknown = 920_000_000 + Math.floor(Math.random() * 1_000_000);
    const { result, delivery } = await handle('installation_repositories', withId(examplePayload('installation_repositories', (p) => p.action === 'added'), unknown));
    expect(result).to.equal('processed');
    expect(delivery).to.deep.include({ outcome: 'processed', error: 'installation was not known' });
    expect(await getInstallation(db.orm.em.fork(), unknown)).to.equal(null);
  });

  it('records a payload that describes no installation as ignored, with the reason', async () => {
    const { result, delivery } = await handle('installation', { action: 'created' });
    expect(result).to.equal('ignored');
    expect(delivery).to.deep.include({ outcome: 'ignored', error: 'payload does not describe an installation' });
  });
});
