import { expect } from 'chai';
import { createHash, randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { createLastDeliveryReader } from '../../../src/bus/read-last-delivery.js';
import type { WebhookPublication } from '../../../src/bus/webhook-publisher.js';
import { createReplayGuard, type ReplayGuard } from '../../../src/ingress/replay-guard.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { streamState } from '../../helpers/stream-reader.js';
import { NATS_URL } from '../../helpers/test-nats.js';

const HORIZON_MS = 60_000;

/** A body of its own under `deliveryId`. */
function delivery(deliveryId = randomUUID(), body = `{"marker":"${randomUUID()}"}`): WebhookPublication {
  const payload = Buffer.from(body);
  return { deliveryId, event: 'push', action: undefined, payload, digest: createHash('sha256').update(payload).digest('hex') };
}

describe('createReplayGuard', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => {
    scratch = await openScratchJetStream();
  });
  after(() => scratch.close());

  const messages = async () => (await streamState(scratch.nc, scratch.topology.streams.github)).messages;
  const skipped = async (metrics: Metrics) => (await metrics.replayChecksSkipped.get()).values.find((v) => v.labels.reason === 'store_unavailable')?.value;

  function guardOn(options: { now?: () => number; readLast?: ScratchJetStream['readLastDelivery'] } = {}) {
    const metrics = createMetrics({ defaultMetrics: false });
    const { logger, records } = captureLogger();
    const guard: ReplayGuard = createReplayGuard({
      publish: scratch.publishWebhook,
      readLast: options.readLast ?? scratch.readLastDelivery,
      stream: scratch.topology.streams.github,
      horizonMs: HORIZON_MS,
      metrics,
      logger,
      ...(options.now ? { now: options.now } : {}),
    });
    return { guard, metrics, logger, records };
  }

  it('stores a new body, and answers the same body under another id a replay naming the first id, storing nothing', async () => {
    const { guard, logger, records } = guardOn();
    const first = delivery();
    const queued = await guard(first, () => logger);
    expect(queued).to.deep.include({ kind: 'queued', stream: scratch.topology.streams.github });
    const stored = await messages();
    const replay = await guard({ ...first, deliveryId: 'replayer' }, () => logger);
    expect(replay).to.deep.equal({ kind: 'replay', stream: scratch.topology.streams.github, firstDeliveryId: first.deliveryId });
    expect(await messages()).to.equal(stored);
    const logged = records().filter((r) => String(r.msg).startsWith('replay_suspected'));
    expect(logged).to.have.length(1);
    expect(logged[0]).to.include({ delivery_id: 'replayer', first_delivery_id: first.deliveryId });
    expect(JSON.stringify(records())).to.not.include(first.payload.toString());
  });

  it('answers the same id again a duplicate with the stored sequence', async () => {
    const { guard, logger } = guardOn();
    const first = delivery();
    const queued = await guard(first, () => logger);
    expect(await guard(first, () => logger)).to.deep.equal({ ...queued, kind: 'duplicate' });
  });

  it('stores a body again once its copy is older than the horizon', async () => {
    let offset = 0;
    const { guard, logger } = guardOn({ now: () => Date.now() + offset });
    const first = delivery();
    await guard(first, () => logger);
    offset = HORIZON_MS;
    const again = await guard({ ...first, deliveryId: 'after-the-horizon' }, () => logger);
    expect(again.kind).to.equal('queued');
    const last = await scratch.readLastDelivery(scratch.topology.subject(`github.push.none.${first.digest}`));
    expect(last?.deliveryId).to.equal('after-the-horizon');
  });

  it('answers duplicate unchecked when the first copy cannot be read back: counted, logged once, nothing stored', async () => {
    // A reader on a connection that is closed: every read fails as it would with NATS gone.
    const nc = await connect({ servers: NATS_URL });
    await nc.close();
    const failing = createLastDeliveryReader({ nc, stream: scratch.topology.streams.github, timeoutMs: 500 });
    const { guard, metrics, logger, records } = guardOn({ readLast: failing });
    expect(await skipped(metrics)).to.equal(0);
    const first = delivery();
    await guard(first, () => logger);
    const stored = await messages();
    for (const id of ['unread-1', 'unread-2']) {
      expect(await guard({ ...first, deliveryId: id }, () => logger)).to.deep.equal({ kind: 'duplicate', stream: scratch.topology.streams.github, seq: 0 });
    }
    expect(await messages()).to.equal(stored);
    expect(await skipped(metrics)).to.equal(2);
    expect(records().filter((r) => String(r.msg).startsWith('replay check skipped'))).to.have.length(1);
  });

  it('publishes without the check when it is off: the same body under two ids is stored twice', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const { logger } = captureLogger();
    const guard = createReplayGuard({ publish: scratch.publishWebhook, readLast: undefined, stream: 'GITHUB', horizonMs: 0, metrics, logger });
    const first = delivery();
    expect((await guard(first, () => logger)).kind).to.equal('queued');
    expect((await guard({ ...first, deliveryId: randomUUID() }, () => logger)).kind).to.equal('queued');
  });
});
