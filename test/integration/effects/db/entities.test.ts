import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TaskSchema } from '../../../../src/effects/db/entities/task.js';
import { TaskAttemptSchema } from '../../../../src/effects/db/entities/task-attempt.js';
import { WebhookDeliverySchema } from '../../../../src/effects/db/entities/webhook-delivery.js';
import { getTask } from '../../../../src/effects/db/task-store.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('entities', function () {
  this.timeout(30_000);
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  it('round-trip through the unit of work: generated ids, bigints as numbers, JSON, dates', async () => {
    const em = db.orm.em.fork();
    const task = em.create(TaskSchema, {
      taskType: 'push_analysis',
      status: 'queued',
      repository: 'acme/widgets',
      deliveryId: randomUUID(),
      eventType: 'push',
      action: null,
      pullRequestNumber: null,
      headSha: 'c0ffee',
      purpose: null,
      attemptCount: 0,
      lastError: null,
      reason: null,
      findings: { commits: 3 },
      input: { ref: 'refs/heads/main' },
      triggerTaskId: null,
      codegenRunId: 8_000_000_000_123,
      codegenRunStatus: null,
      codegenWebUrl: null,
      codegenResult: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    em.create(TaskAttemptSchema, {
      task,
      number: 1,
      startedAt: new Date(),
      finishedAt: null,
      outcome: null,
      error: null,
    });
    await em.flush();
    expect(task.id).to.match(/^[0-9a-f-]{36}$/);

    const detail = await getTask(db.orm.em.fork(), task.id);
    expect(detail!.task).to.include({ codegenRunId: 8_000_000_000_123, headSha: 'c0ffee' });
    expect(detail!.task.findings).to.deep.equal({ commits: 3 });
    expect(detail!.task.input).to.deep.equal({ ref: 'refs/heads/main' });
    expect(detail!.task.createdAt).to.be.instanceOf(Date);
    expect(detail!.attempts.map((attempt) => attempt.number)).to.deep.equal([1]);
  });

  it('are rejected by the database when a value is outside its set', async () => {
    const em = db.orm.em.fork();
    const deliveryId = randomUUID();
    try {
      await em.execute(
        `insert into "webhook_deliveries" ("delivery_id", "event_type", "outcome") values (?, 'push', 'lost')`,
        [deliveryId],
      );
      expect.fail('the database accepted an unknown outcome');
    } catch (error) {
      expect(String(error)).to.include('webhook_deliveries_outcome_check');
    }
    expect(await em.count(WebhookDeliverySchema, { deliveryId })).to.equal(0);
  });
});
