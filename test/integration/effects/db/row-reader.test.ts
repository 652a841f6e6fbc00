import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TaskSchema, type Task } from '../../../../src/effects/db/entities/task.js';
import { WebhookDeliverySchema, type WebhookDelivery } from '../../../../src/effects/db/entities/webhook-delivery.js';
import { rowReader } from '../../../../src/effects/db/row-reader.js';
import { taskFromRow } from '../../../../src/effects/db/task-row.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('rowReader', function () {
  this.timeout(30_000);
  const db = useTestDatabase();

  it('reads a raw tasks row (taskFromRow) as the ORM would map it: json, bigint, timestamps and nulls', async () => {
    const em = db().orm.em.fork();
    const [row] = await em.execute(
      `insert into "tasks" ("id", "task_type", "repository", "delivery_id", "event_type", "action", "pull_request_number", "head_sha",
         "purpose", "input", "findings", "codegen_run_id", "attempt_count")
       values (?, 'codegen_trigger', 'acme/widgets', ?, 'check_run', null, 7, ?, 'fix', ?::jsonb, ?::jsonb, 9007199254740, 3)
       returning *`,
      [randomUUID(), randomUUID(), 'a'.repeat(40), JSON.stringify({ node_ids: ['CR_1'] }), JSON.stringify({ failing: 2 })],
    );
    const mapped = { ...em.fork().map(TaskSchema, row as Partial<Task>) };
    const read = taskFromRow(row!);
    expect(read).to.deep.equal(mapped);
    expect(read).to.deep.include({ codegenRunId: 9007199254740, attemptCount: 3, action: null, purpose: 'fix', findings: { failing: 2 } });
    expect(read.createdAt).to.be.instanceOf(Date);
    expect(Object.keys(read).sort()).to.deep.equal(Object.keys(TaskSchema.meta.properties).sort());
  });

  it('reads a raw webhook_deliveries row as the ORM would map it, nulls and bigints included', async () => {
    const em = db().orm.em.fork();
    const [row] = await em.execute(
      `insert into "webhook_deliveries" ("delivery_id", "event_type", "action", "installation_id", "stream_seq", "times_seen")
       values (?, 'push', null, 123456789012, 42, 2) returning *`,
      [randomUUID()],
    );
    const read = rowReader(WebhookDeliverySchema)(row!);
    expect(read).to.deep.equal({ ...em.fork().map(WebhookDeliverySchema, row as Partial<WebhookDelivery>) });
    expect(read).to.deep.include({ installationId: 123456789012, streamSeq: 42, timesSeen: 2, action: null, repository: null, processedAt: null });
  });
});
