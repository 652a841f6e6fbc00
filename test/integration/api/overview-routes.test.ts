import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { overviewSchema } from '../../../src/api/schemas/overview-schemas.js';
import { recordDeliveryReceived, setDeliveryOutcome } from '../../../src/effects/db/delivery-store.js';
import { createTaskOnce, transitionTask } from '../../../src/effects/db/task-store.js';
import { AppError } from '../../../src/errors/app-error.js';
import { useApiHarness } from './management-api-harness.js';

describe('GET /api/v1/overview', function () {
  this.timeout(30_000);
  const harness = useApiHarness(async (db) => {
    const fork = () => db.orm.em.fork();
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    const deliveries: Array<[string, 'processed' | 'ignored' | 'failed', number]> = [
      ['pull_request', 'processed', 0],
      ['pull_request', 'processed', 1],
      ['pull_request', 'failed', 2],
      ['push', 'ignored', 3],
      // Outside a 15-minute window:
      ['pull_request', 'processed', 30],
    ];
    for (const [eventType, outcome, ago] of deliveries) {
      const deliveryId = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId, eventType, repository: 'acme/widgets', receivedAt: minutesAgo(ago) });
      await setDeliveryOutcome(fork(), deliveryId, outcome);
      if (eventType === 'pull_request' && ago === 0) {
        const { task } = await createTaskOnce(fork(), { taskType: 'pull_request_analysis', repository: 'acme/widgets', deliveryId, eventType });
        await transitionTask(fork(), task.id, 'running');
        await transitionTask(fork(), task.id, 'succeeded');
      }
    }
  });
  const api = () => harness.api();

  it('counts the window\'s deliveries per minute and by type and outcome, its tasks, breakers, depths and dead letters', async () => {
    api().ports.readRuntimeState.resolves({
      breakers: [{ dependency: 'github', state: 'open' }],
      consumers: [{ consumer: 'actor_push', pending: 7 }],
    });
    api().ports.listDeadLetters.resolves({ dead_letters: [], total: 3 });
    const answer = await api().call('GET', '/api/v1/overview?minutes=15');
    expect(answer.status).to.equal(200);
    expect(() => overviewSchema.parse(answer.body)).not.to.throw();
    const { deliveries, tasks, breakers, consumers, dead_letters_waiting, minutes } = answer.body;
    expect(minutes).to.equal(15);
    expect(deliveries.per_minute).to.have.length(15);
    expect(deliveries.per_minute.reduce((sum: number, m: { count: number }) => sum + m.count, 0)).to.equal(4);
    const minutesApart = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;
    expect(deliveries.per_minute.slice(1).map((m: { minute: string }, i: number) => minutesApart(deliveries.per_minute[i].minute, m.minute))).to.deep.equal(Array(14).fill(1));
    expect(deliveries.by_type).to.deep.equal([
      { event_type: 'pull_request', outcome: 'processed', count: 2, per_minute: 0.13 },
      { event_type: 'pull_request', outcome: 'failed', count: 1, per_minute: 0.07 },
      { event_type: 'push', outcome: 'ignored', count: 1, per_minute: 0.07 },
    ]);
    expect(tasks).to.deep.equal([{ task_type: 'pull_request_analysis', status: 'succeeded', count: 1 }]);
    expect(breakers).to.deep.equal([{ dependency: 'github', state: 'open' }]);
    expect(consumers).to.deep.equal([{ consumer: 'actor_push', pending: 7 }]);
    expect(dead_letters_waiting).to.equal(3);
    expect(api().ports.listDeadLetters.calledOnceWithExactly({ limit: 1, offset: 0 })).to.equal(true);
  });

  it('widens the window on request, and reports dead letters as unknown when NATS does not answer', async () => {
    api().ports.listDeadLetters.rejects(new AppError('unavailable', 'JetStream is unavailable'));
    const answer = await api().call('GET', '/api/v1/overview?minutes=60');
    expect(answer.status).to.equal(200);
    expect(answer.body.deliveries.per_minute).to.have.length(60);
    expect(answer.body.deliveries.by_type.find((row: { outcome: string }) => row.outcome === 'processed').count).to.equal(3);
    expect(answer.body.dead_letters_waiting).to.equal(null);
  });

  it('refuses a window outside 1..1440 minutes and answers nobody without the token', async () => {
    for (const query of ['minutes=0', 'minutes=1441', 'minutes=ten', 'window=5']) {
      const answer = await api().call('GET', `/api/v1/overview?${query}`);
      expect(answer.status, query).to.equal(400);
    }
    const anonymous = await api().call('GET', '/api/v1/overview', { token: null });
    expect(anonymous.status).to.equal(401);
  });
});
