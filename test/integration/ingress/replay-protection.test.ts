import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook, signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

const DAY_MS = 86_400_000;

/** A clock the event-age rule reads; tests move it forward instead of waiting. */
function testClock() {
  let now = Date.now();
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A real check_run `completed` example that completed at `at`, with a marker no log may contain. */
function completedCheckRun(at: number) {
  const payload = examplePayload('check_run', (p) => p.action === 'completed') as Record<string, any>;
  payload.check_run.id = Math.floor(Math.random() * 1e9);
  payload.check_run.name = `secret-marker-${randomUUID()}`;
  payload.check_run.completed_at = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return payload;
}

/** The body's digest as the guard keys it: the HMAC-SHA256 of the raw bytes under our secret. */
function digestOf(payload: unknown): string {
  return signedWebhook({ event: 'check_run', payload, secret: TEST_SECRET }).headers['x-hub-signature-256']!.slice('sha256='.length);
}

async function metric(service: TestService, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}

const REPLAYS = /orchestrator_webhook_requests_total\{event="check_run",outcome="replay_suspected"\} (\d+)/;

describe('replay protection on POST /api/v1/webhooks/github', () => {
  describe('with one instance', () => {
    const clock = testClock();
    let service: TestService;
    before(async () => {
      // A 1 s JetStream duplicate window, so a "redelivery a day later" can really be past it.
      service = await startTestService(
        { ACTORS_ENABLED: 'false', WEBHOOK_MAX_EVENT_AGE_SECONDS: String(3 * 86_400 + 6 * 3600), WEBHOOK_REPLAY_TTL_SECONDS: String(4 * 86_400), GITHUB_DUPLICATE_WINDOW_SECONDS: '1' },
        { clock: clock.now },
      );
    });
    after(async () => {
      await service.dispose();
    });
    const messages = async () => (await streamState(service.nats.nc, service.topology.streams.github)).messages;

    it('answers the same signed body under a new delivery id 202 duplicate, publishes nothing, counts and logs it', async () => {
      const payload = completedCheckRun(clock.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.status).to.equal(202);
      expect(first.body!.result.status).to.equal('queued');
      const stored = await messages();
      const replaysBefore = await metric(service, REPLAYS);

      const replay = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(replay.deliveryId).to.not.equal(first.deliveryId);
      expect(replay.status).to.equal(202);
      expect(replay.body).to.deep.equal({
        status: 'accepted',
        delivery_id: replay.deliveryId,
        event_type: 'check_run',
        result: { status: 'duplicate', stream: service.topology.streams.github, seq: 0 },
      });
      expect(await messages(), 'nothing published').to.equal(stored);
      expect(await metric(service, REPLAYS)).to.equal(replaysBefore + 1);

      const logged = service.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => String(r.msg).startsWith('replay_suspected'));
      expect(logged).to.have.length(1);
      expect(logged[0]).to.include({ delivery_id: replay.deliveryId, first_delivery_id: first.deliveryId });
      expect(service.lines.join('\n')).to.not.include(payload.check_run.name);
    });

    it('answers the same delivery id again duplicate, as before, with the stored sequence', async () => {
      const payload = completedCheckRun(clock.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      const stored = await messages();
      const again = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: first.deliveryId });
      expect(again.status).to.equal(202);
      expect(again.body!.result).to.deep.equal({ status: 'duplicate', stream: service.topology.streams.github, seq: first.body!.result.seq });
      expect(await messages()).to.equal(stored);
    });

    it('answers a GitHub redelivery a day later (same id, same body, past the duplicate window) duplicate', async () => {
      const payload = completedCheckRun(clock.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.body!.result.status).to.equal('queued');
      // Past JetStream's duplicate window: a probe id published after the delivery is forgotten, so the delivery's is too.
      const js = jetstream(service.nats.nc);
      const probe = service.topology.subject('github.probe.none');
      const probeId = randomUUID();
      await js.publish(probe, 'probe', { msgID: probeId });
      await waitFor(async () => !(await js.publish(probe, 'probe', { msgID: probeId })).duplicate, { message: 'the duplicate window to pass' });
      const stored = await messages();

      clock.advance(DAY_MS);
      const redelivery = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: first.deliveryId });
      expect(redelivery.status).to.equal(202);
      expect(redelivery.body!.result.status).to.equal('duplicate');
      // JetStream took the copy (the actors ignore it by delivery id); the digest store knew the id.
      expect(await messages()).to.equal(stored + 1);
    });

    it('refuses a stale event time with 422 stale_event naming the rule, and publishes nothing', async () => {
      const payload = completedCheckRun(clock.now() - 4 * DAY_MS);
      const stored = await messages();
      const answer = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(answer.status).to.equal(422);
      expect(answer.body!.error.code).to.equal('stale_event');
      expect(answer.body!.error.message).to.include('check_run.completed_at').and.to.include('WEBHOOK_MAX_EVENT_AGE_SECONDS');
      expect(await messages()).to.equal(stored);
    });

    it('accepts an event time just inside the maximum age, and events without a trustworthy time whatever their dates', async () => {
      const recent = await postWebhook(service.url, { event: 'check_run', payload: completedCheckRun(clock.now() - 3 * DAY_MS), secret: TEST_SECRET });
      expect(recent.status).to.equal(202);
      // A re-requested check keeps its old completed_at: it is not an event time.
      const rerequested = examplePayload('check_run', (p) => p.action === 'rerequested');
      const old = await postWebhook(service.url, { event: 'check_run', payload: rerequested, secret: TEST_SECRET });
      expect(old.status).to.equal(202);
    });
  });

  describe('after the digest expired', () => {
    const clock = testClock();
    let service: TestService;
    before(async () => {
      service = await startTestService(
        { ACTORS_ENABLED: 'false', WEBHOOK_REPLAY_TTL_SECONDS: '1', WEBHOOK_MAX_EVENT_AGE_SECONDS: '1' },
        { clock: clock.now },
      );
    });
    after(async () => {
      await service.dispose();
    });

    it('leaves a replay to the event-age rule: 422 stale_event, nothing published', async () => {
      const payload = completedCheckRun(clock.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.body!.result.status).to.equal('queued');
      const kv = await new Kvm(service.nats.nc).open(service.topology.digestBucket);
      expect((await kv.get(digestOf(payload)))?.string()).to.equal(first.deliveryId);
      await waitFor(async () => (await kv.get(digestOf(payload))) === null, { message: 'the digest to expire' });
      const stored = (await streamState(service.nats.nc, service.topology.streams.github)).messages;

      clock.advance(3600_000);
      const replay = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(replay.status).to.equal(422);
      expect(replay.body!.error.code).to.equal('stale_event');
      expect((await streamState(service.nats.nc, service.topology.streams.github)).messages).to.equal(stored);
    });
  });

  describe('with two instances on one NATS namespace', () => {
    let first: TestService;
    let second: TestService;
    before(async () => {
      first = await startTestService({ ACTORS_ENABLED: 'false', WEBHOOK_REPLAY_TTL_SECONDS: String(4 * 86_400) });
      second = await startTestService({ ACTORS_ENABLED: 'false', WEBHOOK_REPLAY_TTL_SECONDS: String(4 * 86_400) }, { namespace: first.namespace, databaseName: first.databaseName });
    });
    after(async () => {
      await second?.close();
      await first?.dispose();
    });
    const messages = async () => (await streamState(first.nats.nc, first.topology.streams.github)).messages;

    it('share the digest store: a body accepted by one is a replay at the other', async () => {
      const payload = completedCheckRun(Date.now());
      const accepted = await postWebhook(first.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(accepted.body!.result.status).to.equal('queued');
      const stored = await messages();
      const replay = await postWebhook(second.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(replay.body!.result).to.include({ status: 'duplicate', seq: 0 });
      expect(await messages()).to.equal(stored);
      expect(await metric(second, REPLAYS)).to.equal(1);
    });

    it('agree when both receive one body under two ids at once: exactly one publishes it', async () => {
      for (let round = 0; round < 5; round++) {
        const payload = completedCheckRun(Date.now());
        const stored = await messages();
        const answers = await Promise.all([first, second].map((service) => postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET })));
        expect(answers.map((answer) => answer.status)).to.deep.equal([202, 202]);
        expect(answers.map((answer) => answer.body!.result.status).sort()).to.deep.equal(['duplicate', 'queued']);
        expect(await messages()).to.equal(stored + 1);
      }
    });
  });

  describe('when a dependency fails', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ ACTORS_ENABLED: 'false', NATS_PUBLISH_TIMEOUT_MS: '1000', WEBHOOK_REPLAY_TTL_SECONDS: String(4 * 86_400) });
    });
    after(async () => {
      await service.dispose();
    });

    it('releases the claim of a delivery answered 503, so GitHub redelivering it is accepted', async () => {
      const jsm = await jetstreamManager(service.nats.nc);
      const github = service.topology.streams.github;
      const { config } = await jsm.streams.info(github);
      await jsm.streams.delete(github);
      const payload = completedCheckRun(Date.now());
      const refused = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(refused.status).to.equal(503);
      const kv = await new Kvm(service.nats.nc).open(service.topology.digestBucket);
      expect(await kv.get(digestOf(payload)).then((entry) => entry?.operation ?? 'none')).to.not.equal('PUT');

      await jsm.streams.add(config);
      const redelivered = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: refused.deliveryId });
      expect(redelivered.status).to.equal(202);
      expect(redelivered.body!.result.status).to.equal('queued');
      expect((await kv.get(digestOf(payload)))?.string()).to.equal(refused.deliveryId);
    });

    it('accepts and publishes unchecked when the digest store does not answer, counting and logging it', async () => {
      const jsm = await jetstreamManager(service.nats.nc);
      await jsm.streams.delete(`KV_${service.topology.digestBucket}`);
      const stored = (await streamState(service.nats.nc, service.topology.streams.github)).messages;
      const answer = await postWebhook(service.url, { event: 'check_run', payload: completedCheckRun(Date.now()), secret: TEST_SECRET });
      expect(answer.status).to.equal(202);
      expect(answer.body!.result.status).to.equal('queued');
      expect((await streamState(service.nats.nc, service.topology.streams.github)).messages).to.equal(stored + 1);
      expect(await metric(service, /orchestrator_webhook_replay_checks_skipped_total\{reason="store_unavailable"\} (\d+)/)).to.be.at.least(1);
      expect(service.lines.some((line) => line.includes('replay check skipped'))).to.equal(true);
    });
  });
});
