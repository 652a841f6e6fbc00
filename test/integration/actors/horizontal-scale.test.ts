import { expect } from 'chai';
import { listDeliveries } from '../../../src/effects/db/delivery-store.js';
import { listTasks } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('two instances on the same streams and database', function () {
  this.timeout(60_000);
  let first: TestService;
  let second: TestService;
  before(async () => {
    first = await startTestService();
    second = await startTestService({}, { namespace: first.namespace, databaseName: first.databaseName });
  });
  after(async () => {
    await second?.close();
    await first?.dispose();
  });

  it('share the durable consumers: every delivery is handled once in effect, and both do work', async () => {
    // 40 distinct events (as GitHub sends them: the same body under a new id would be a replay).
    const payloadFor = (i: number) => {
      const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
      payload.pull_request.body = `event ${i}`;
      return payload;
    };
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => postWebhook(i % 2 ? first.url : second.url, { event: 'pull_request', payload: payloadFor(i), secret: TEST_SECRET })),
    );
    expect(answers.every((answer) => answer.status === 202)).to.equal(true);
    const em = () => first.database.orm.em.fork();
    await waitFor(async () => (await listDeliveries(em(), { outcome: 'processed' }, { limit: 1, offset: 0 })).total === 40, {
      timeoutMs: 30_000,
      message: 'all 40 deliveries processed',
    });
    const tasks = await listTasks(em(), { taskType: 'pull_request_analysis' }, { limit: 100, offset: 0 });
    expect(tasks.total).to.equal(40);
    expect(new Set(tasks.rows.map((task) => task.deliveryId)).size).to.equal(40);

    const handledBy = async (service: TestService) => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const match = /orchestrator_events_processed_total\{actor="pull_request",outcome="processed"\} (\d+)/.exec(text);
      return Number(match?.[1] ?? 0);
    };
    const [a, b] = [await handledBy(first), await handledBy(second)];
    expect(a + b).to.be.at.least(40);
    expect(a, 'the first instance took part').to.be.greaterThan(0);
    expect(b, 'the second instance took part').to.be.greaterThan(0);
  });
});
