import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook, signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';
import { waitForIdleConsumers } from '../../helpers/wait-for-idle-consumers.js';

const DAY_MS = 86_400_000;

/**
 * The clock the event-age rule and the replay horizon read; tests move it forward instead of
 * waiting. It runs with real time (the stream stamps messages with the server's clock), only ahead.
 */
function testClock() {
  let ahead = 0;
  return { now: () => Date.now() + ahead, advance: (ms: number) => (ahead += ms) };
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

/** How many messages the GITHUB stream holds on this body's subject. */
async function copiesOf(service: TestService, payload: Record<string, any>): Promise<number> {
  const jsm = await jetstreamManager(service.nats.nc);
  const subject = service.topology.subject(`github.check_run.${String(payload.action)}.${digestOf(payload)}`);
  const info = await jsm.streams.info(service.topology.streams.github, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
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
      const replaysBefore = await metric(service, REPLAYS);

      clock.advance(DAY_MS);
      const redelivery = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: first.deliveryId });
      expect(redelivery.status).to.equal(202);
      expect(redelivery.body!.result).to.deep.include({ status: 'duplicate', seq: first.body!.result.seq });
      // The server refused it (the body's subject holds the first copy), and that copy has this id.
      expect(await messages()).to.equal(stored);
      expect(await copiesOf(service, payload)).to.equal(1);
      expect(await metric(service, REPLAYS), 'not a replay').to.equal(replaysBefore);
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

  describe('past the replay horizon (WEBHOOK_REPLAY_TTL_SECONDS)', () => {
    const clock = testClock();
    let service: TestService;
    before(async () => {
      service = await startTestService(
        { ACTORS_ENABLED: 'false', WEBHOOK_REPLAY_TTL_SECONDS: '60', WEBHOOK_MAX_EVENT_AGE_SECONDS: '60' },
        { clock: clock.now },
      );
    });
    after(async () => {
      await service.dispose();
    });
    const messages = async () => (await streamState(service.nats.nc, service.topology.streams.github)).messages;

    it('leaves a replay to the event-age rule: 422 stale_event, nothing published', async () => {
      const payload = completedCheckRun(clock.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.body!.result.status).to.equal('queued');
      const stored = await messages();

      clock.advance(3600_000);
      const replay = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(replay.status).to.equal(422);
      expect(replay.body!.error.code).to.equal('stale_event');
      expect(await messages()).to.equal(stored);
    });
  });

  describe('past the replay horizon, for an event without an event time', () => {
    const clock = testClock();
    let service: TestService;
    before(async () => {
      service = await startTestService({ ACTORS_ENABLED: 'false', WEBHOOK_REPLAY_TTL_SECONDS: '60', WEBHOOK_MAX_EVENT_AGE_SECONDS: '60' }, { clock: clock.now });
    });
    after(async () => {
      await service.dispose();
    });

    it('forgets a body once its copy is older than the horizon: inside it a replay, past it stored again', async () => {
      // A re-requested check carries no event time, so only the horizon decides.
      const payload = examplePayload('check_run', (p) => p.action === 'rerequested') as Record<string, any>;
      payload.check_run.id = Math.floor(Math.random() * 1e9);
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.body!.result.status).to.equal('queued');
      clock.advance(30_000);
      const inside = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(inside.body!.result).to.include({ status: 'duplicate', seq: 0 });
      expect(await copiesOf(service, payload)).to.equal(1);

      clock.advance(60_000);
      const past = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(past.body!.result.status).to.equal('queued');
      expect(await copiesOf(service, payload)).to.equal(2);
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

    it('share the replay check through the stream: a body accepted by one is a replay at the other', async () => {
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

  describe('with the actors on', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ WEBHOOK_REPLAY_TTL_SECONDS: String(4 * 86_400) });
    });
    after(async () => {
      await service.dispose();
    });

    it('lets an operator replay a delivery published as its body’s claim, and GitHub’s redelivery after it stays a duplicate', async () => {
      const payload = completedCheckRun(Date.now());
      const first = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(first.body!.result.status).to.equal('queued');
      await waitForIdleConsumers(service);
      // The stored copy carries ingress's expectation; the replay must not, or the server would refuse it.
      const replay = await service.managementActions.replayDelivery(first.deliveryId);
      expect(replay.seq).to.be.greaterThan(first.body!.result.seq);
      expect(await copiesOf(service, payload)).to.equal(2);
      await waitForIdleConsumers(service);

      const redelivery = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: first.deliveryId });
      expect(redelivery.body!.result.status).to.equal('duplicate');
      const replayed = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(replayed.body!.result).to.include({ status: 'duplicate', seq: 0 });
      expect(await copiesOf(service, payload)).to.equal(2);
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

    it('stores nothing for a delivery answered 503, so GitHub redelivering it is accepted', async () => {
      const jsm = await jetstreamManager(service.nats.nc);
      const github = service.topology.streams.github;
      const { config } = await jsm.streams.info(github);
      await jsm.streams.delete(github);
      const payload = completedCheckRun(Date.now());
      const refused = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      expect(refused.status).to.equal(503);

      await jsm.streams.add(config);
      const redelivered = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: refused.deliveryId });
      expect(redelivered.status).to.equal(202);
      expect(redelivered.body!.result.status).to.equal('queued');
      expect(await copiesOf(service, payload)).to.equal(1);
    });

    it('answers 503 when JetStream refuses the publish for a reason other than the body, and accepts the redelivery later', async () => {
      const jsm = await jetstreamManager(service.nats.nc);
      const github = service.topology.streams.github;
      const { config } = await jsm.streams.info(github);
      const stored = (await streamState(service.nats.nc, github)).messages;
      // A full stream that discards new messages refuses every publish, whatever its subject.
      await jsm.streams.update(github, { ...config, max_msgs: stored, discard: 'new' as typeof config.discard });
      const payload = completedCheckRun(Date.now());
      let refused;
      try {
        refused = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET });
      } finally {
        await jsm.streams.update(github, config);
      }
      expect(refused.status).to.equal(503);
      expect(refused.body!.error.code).to.equal('unavailable');
      expect(await metric(service, REPLAYS)).to.equal(0);
      expect((await streamState(service.nats.nc, github)).messages).to.equal(stored);

      const redelivered = await postWebhook(service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: refused.deliveryId });
      expect(redelivered.body!.result.status).to.equal('queued');
    });
  });
});
