import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { deliveryDetailSchema, deliveryListSchema, deliveryMessageSchema, replayAcceptedSchema } from '../../../src/api/schemas/delivery-schemas.js';
import { recordDeliveryReceived, setDeliveryOutcome } from '../../../src/effects/db/delivery-store.js';
import { createTaskOnce } from '../../../src/effects/db/task-store.js';
import { AppError } from '../../../src/errors/app-error.js';
import { DELIVERY_FIELDS, TASK_FIELDS, useApiHarness } from './management-api-harness.js';

describe('/api/v1/deliveries', function () {
  this.timeout(30_000);
  const harness = useApiHarness(async () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 12, minute));
    await recordDeliveryReceived(fork(), {
      deliveryId: ids.pr, eventType: 'pull_request', action: 'opened', repository: 'acme/widgets',
      installationId: 4242, hookId: '123456', streamSeq: 11, receivedAt: at(1),
    });
    await setDeliveryOutcome(fork(), ids.pr, 'processed');
    await recordDeliveryReceived(fork(), {
      deliveryId: ids.check, eventType: 'check_run', action: 'completed', repository: 'acme/widgets', streamSeq: 12, receivedAt: at(2),
    });
    await setDeliveryOutcome(fork(), ids.check, 'failed', 'GitHub GraphQL unavailable');
    await recordDeliveryReceived(fork(), { deliveryId: ids.push, eventType: 'push', repository: 'acme/gadgets', streamSeq: 13, receivedAt: at(3) });
    await setDeliveryOutcome(fork(), ids.push, 'ignored');
    await recordDeliveryReceived(fork(), { deliveryId: ids.ping, eventType: 'ping', streamSeq: 14, receivedAt: at(4) });
    for (const taskType of ['pull_request_analysis', 'check_failure_analysis'] as const) {
      const { task } = await createTaskOnce(fork(), { taskType, repository: 'acme/widgets', deliveryId: ids.pr, eventType: 'pull_request' });
      taskIds.push(task.id);
    }
  });
  const api = () => harness.api();
  const fork = () => harness.db().orm.em.fork();
  const ids = { pr: randomUUID(), check: randomUUID(), push: randomUUID(), ping: randomUUID() };
  const taskIds: string[] = [];

  const newestFirst = () => [ids.ping, ids.push, ids.check, ids.pr];
  const listed = (body: { deliveries: Array<{ delivery_id: string }> }) => body.deliveries.map((d) => d.delivery_id);

  it('lists every delivery newest first, each with exactly the API\'s fields', async () => {
    const answer = await api().call('GET', '/api/v1/deliveries');
    expect(answer.status).to.equal(200);
    expect(Object.keys(answer.body)).to.have.members(['deliveries', 'total', 'limit', 'offset']);
    expect(answer.body).to.include({ total: 4, limit: 50, offset: 0 });
    expect(listed(answer.body)).to.deep.equal(newestFirst());
    for (const delivery of answer.body.deliveries) expect(Object.keys(delivery)).to.have.members(DELIVERY_FIELDS);
    expect(() => deliveryListSchema.parse(answer.body)).not.to.throw();
    const pr = answer.body.deliveries.find((d: { delivery_id: string }) => d.delivery_id === ids.pr);
    expect(pr).to.deep.include({
      event_type: 'pull_request', action: 'opened', repository: 'acme/widgets', installation_id: 4242, hook_id: '123456',
      stream_seq: 11, outcome: 'processed', received_at: '2025-06-01T12:01:00.000Z', error: null,
    });
    expect(pr.processed_at).to.be.a('string');
    const ping = answer.body.deliveries.find((d: { delivery_id: string }) => d.delivery_id === ids.ping);
    expect(ping).to.include({ outcome: 'received', processed_at: null, repository: null, action: null });
  });

  it('pages with limit and offset', async () => {
    const first = await api().call('GET', '/api/v1/deliveries?limit=3');
    const second = await api().call('GET', '/api/v1/deliveries?limit=3&offset=3');
    expect(first.body).to.include({ total: 4, limit: 3, offset: 0 });
    expect(second.body).to.include({ total: 4, limit: 3, offset: 3 });
    expect([...listed(first.body), ...listed(second.body)]).to.deep.equal(newestFirst());
  });

  const filters: Array<[string, Array<keyof typeof ids>]> = [
    ['event=pull_request', ['pr']],
    ['event=check_run', ['check']],
    ['repository=acme/widgets', ['check', 'pr']],
    ['repository=acme/gadgets&event=push', ['push']],
    ['outcome=failed', ['check']],
    ['outcome=received', ['ping']],
    ['outcome=dead', []],
    ['action=opened', ['pr']],
    ['action=completed&repository=acme/widgets', ['check']],
    ['since=2025-06-01T12:02:00Z', ['ping', 'push', 'check']],
    ['until=2025-06-01T12:02:00Z', ['pr']],
    ['since=2025-06-01T14:02:00%2B02:00&until=2025-06-01T12:04:00Z', ['push', 'check']],
  ];
  for (const [query, expected] of filters) {
    it(`filters by ${query}`, async () => {
      const answer = await api().call('GET', `/api/v1/deliveries?${query}`);
      expect(answer.status).to.equal(200);
      expect(listed(answer.body)).to.deep.equal(expected.map((name) => ids[name]));
      expect(answer.body.total).to.equal(expected.length);
    });
  }

  const invalid: Array<[string, string]> = [
    ['limit=1001', 'limit: must be at most 1000'],
    ['outcome=exploded', 'outcome: must be one of received, processed, ignored, duplicate, failed, dead'],
    ['event=Pull%20Request', 'event: must be a GitHub event name'],
    ['repository=/widgets', 'repository: must be owner/name'],
    ['event_type=push', 'event_type: unknown query parameter'],
    ['action=Opened', 'action: must be a GitHub action'],
    ['since=yesterday', 'since: must be an ISO-8601 date-time with a zone'],
    ['until=2025-06-01T12:00:00', 'until: must be an ISO-8601 date-time with a zone'],
  ];
  for (const [query, message] of invalid) {
    it(`answers ?${query} with 400 naming the parameter`, async () => {
      const answer = await api().call('GET', `/api/v1/deliveries?${query}`);
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal('validation_failed');
      expect(answer.body.error.message).to.include(message);
    });
  }

  it('shows a delivery with the tasks it created, each with exactly the API\'s fields', async () => {
    const answer = await api().call('GET', `/api/v1/deliveries/${ids.pr}`);
    expect(answer.status).to.equal(200);
    expect(Object.keys(answer.body)).to.have.members([...DELIVERY_FIELDS, 'tasks']);
    expect(() => deliveryDetailSchema.parse(answer.body)).not.to.throw();
    expect(answer.body).to.include({ delivery_id: ids.pr, outcome: 'processed' });
    expect(answer.body.tasks.map((task: { id: string }) => task.id)).to.deep.equal(taskIds);
    for (const task of answer.body.tasks) expect(Object.keys(task)).to.have.members(TASK_FIELDS);
    const none = await api().call('GET', `/api/v1/deliveries/${ids.ping}`);
    expect(none.body.tasks).to.deep.equal([]);
  });

  it('answers an unknown delivery with 404 and a malformed id with 400 naming delivery_id', async () => {
    const unknown = await api().call('GET', `/api/v1/deliveries/${randomUUID()}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
    const malformed = await api().call('GET', '/api/v1/deliveries/not%20an%20id');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.message).to.include('delivery_id: must be a GitHub delivery id');
  });

  describe('POST /api/v1/deliveries/:delivery_id/replay', () => {
    it('hands the stored delivery to replayDelivery and answers 202 with where it went', async () => {
      api().ports.replayDelivery.resolves({ stream: 'GITHUB', seq: 99 });
      const answer = await api().call('POST', `/api/v1/deliveries/${ids.check}/replay`);
      expect(answer.status).to.equal(202);
      expect(answer.body).to.deep.equal({ status: 'queued', delivery_id: ids.check, stream: 'GITHUB', seq: 99 });
      expect(() => replayAcceptedSchema.parse(answer.body)).not.to.throw();
      expect(api().ports.replayDelivery.calledOnce).to.equal(true);
      expect(api().ports.replayDelivery.firstCall.args[0]).to.include({
        deliveryId: ids.check, eventType: 'check_run', action: 'completed', streamSeq: 12, outcome: 'failed',
      });
    });

    it('answers 404 for an unknown delivery without calling replayDelivery', async () => {
      const answer = await api().call('POST', `/api/v1/deliveries/${randomUUID()}/replay`);
      expect(answer.status).to.equal(404);
      expect(api().ports.replayDelivery.called).to.equal(false);
    });

    it('passes on the port\'s refusal: 409 when the payload is gone, 503 with Retry-After when NATS is', async () => {
      api().ports.replayDelivery.rejects(new AppError('conflict', 'stream message 12 is no longer retained'));
      const gone = await api().call('POST', `/api/v1/deliveries/${ids.pr}/replay`);
      expect(gone.status).to.equal(409);
      expect(gone.body.error).to.include({ code: 'conflict', message: 'stream message 12 is no longer retained' });
      api().ports.replayDelivery.rejects(new AppError('unavailable', 'NATS is not connected', { retryAfterSeconds: 2 }));
      const down = await api().call('POST', `/api/v1/deliveries/${ids.pr}/replay`);
      expect(down.status).to.equal(503);
      expect(down.headers.get('retry-after')).to.equal('2');
    });
  });

  describe('GET /api/v1/deliveries/:delivery_id/message and …/payload', () => {
    const message = {
      stream: 'GITHUB', seq: 11, subject: 'github.pull_request.opened', stored_at: '2025-06-01T12:01:00.000Z',
      headers: { 'X-GitHub-Delivery': [ids.pr], 'X-GitHub-Event': ['pull_request'] }, payload_bytes: 17, claim_check: false,
    };

    it('shows where the message sits and its headers, without reading the payload', async () => {
      api().ports.readDeliveryMessage.resolves(message);
      const answer = await api().call('GET', `/api/v1/deliveries/${ids.pr}/message`);
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.equal(message);
      expect(() => deliveryMessageSchema.parse(answer.body)).not.to.throw();
      expect(api().ports.readDeliveryMessage.firstCall.args[0]).to.include({ deliveryId: ids.pr, streamSeq: 11 });
      expect(api().ports.readDeliveryMessage.firstCall.args[1]).to.deep.equal({ withPayload: false });
    });

    it('serves the payload bytes as they were stored, as JSON', async () => {
      const bytes = new TextEncoder().encode('{"action":"opened"}');
      api().ports.readDeliveryMessage.resolves({ ...message, payload: bytes });
      const answer = await api().call('GET', `/api/v1/deliveries/${ids.pr}/payload`);
      expect(answer.status).to.equal(200);
      expect(answer.headers.get('content-type')).to.match(/^application\/json/);
      expect(answer.text).to.equal('{"action":"opened"}');
      expect(api().ports.readDeliveryMessage.firstCall.args[1]).to.deep.equal({ withPayload: true });
    });

    it('answers 404 for an unknown delivery, 409 once the stream lost it, 503 when NATS fails', async () => {
      const unknown = await api().call('GET', `/api/v1/deliveries/${randomUUID()}/message`);
      expect(unknown.status).to.equal(404);
      expect(api().ports.readDeliveryMessage.called).to.equal(false);
      api().ports.readDeliveryMessage.resolves(null);
      const gone = await api().call('GET', `/api/v1/deliveries/${ids.pr}/payload`);
      expect(gone.status).to.equal(409);
      expect(gone.body.error.code).to.equal('conflict');
      api().ports.readDeliveryMessage.rejects(new Error('connection closed'));
      const down = await api().call('GET', `/api/v1/deliveries/${ids.pr}/message`);
      expect(down.status).to.equal(503);
      expect(down.headers.get('retry-after')).to.equal('5');
    });
  });
});
