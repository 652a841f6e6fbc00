import { expect } from 'chai';
import { getDelivery } from '../../../src/effects/db/delivery-store.js';
import { listTasks } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

type Payload = Record<string, any>;

/** The README's table of events and tasks, row by row: (event, how to shape a real example, the task expected or null, the outcome). */
const ROWS: Array<{ title: string; event: string; payload: () => Payload; task: string | null; outcome: string }> = [
  ...['opened', 'synchronize', 'reopened', 'ready_for_review'].map((action) => ({
    title: `pull_request ${action}`,
    event: 'pull_request',
    payload: () => {
      const p = examplePayload('pull_request', (e) => e.action === 'opened') as Payload;
      p.action = action;
      p.pull_request.draft = false;
      return p;
    },
    task: 'pull_request_analysis',
    outcome: 'processed',
  })),
  {
    title: 'pull_request opened as a draft (waits for ready_for_review)',
    event: 'pull_request',
    payload: () => {
      const p = examplePayload('pull_request', (e) => e.action === 'opened') as Payload;
      p.pull_request.draft = true;
      return p;
    },
    task: null,
    outcome: 'ignored',
  },
  { title: 'pull_request closed', event: 'pull_request', payload: () => examplePayload('pull_request', (p) => p.action === 'closed'), task: null, outcome: 'ignored' },
  ...['failure', 'timed_out', 'startup_failure'].map((conclusion) => ({
    title: `check_run completed ${conclusion}`,
    event: 'check_run',
    payload: () => {
      const p = examplePayload('check_run', (e) => e.action === 'completed') as Payload;
      p.check_run.conclusion = conclusion;
      return p;
    },
    task: 'check_failure_analysis',
    outcome: 'processed',
  })),
  {
    title: 'check_run completed success',
    event: 'check_run',
    payload: () => {
      const p = examplePayload('check_run', (e) => e.action === 'completed') as Payload;
      p.check_run.conclusion = 'success';
      return p;
    },
    task: null,
    outcome: 'ignored',
  },
  { title: 'check_run created', event: 'check_run', payload: () => examplePayload('check_run', (p) => p.action === 'created'), task: null, outcome: 'ignored' },
  ...['failure', 'timed_out'].map((conclusion) => ({
    title: `check_suite completed ${conclusion}`,
    event: 'check_suite',
    payload: () => {
      const p = examplePayload('check_suite', (e) => e.action === 'completed') as Payload;
      p.check_suite.conclusion = conclusion;
      return p;
    },
    task: 'check_suite_failure_analysis',
    outcome: 'processed',
  })),
  {
    title: 'check_suite completed success',
    event: 'check_suite',
    payload: () => {
      const p = examplePayload('check_suite', (e) => e.action === 'completed') as Payload;
      p.check_suite.conclusion = 'success';
      return p;
    },
    task: null,
    outcome: 'ignored',
  },
  {
    title: 'push to the default branch',
    event: 'push',
    payload: () => {
      const p = examplePayload('push') as Payload;
      p.ref = `refs/heads/${p.repository.default_branch}`;
      p.deleted = false;
      p.after = 'a'.repeat(40);
      return p;
    },
    task: 'push_analysis',
    outcome: 'processed',
  },
  {
    title: 'push to another branch',
    event: 'push',
    payload: () => {
      const p = examplePayload('push') as Payload;
      p.ref = 'refs/heads/feature/x';
      return p;
    },
    task: null,
    outcome: 'ignored',
  },
  {
    title: 'push deleting the default branch',
    event: 'push',
    payload: () => {
      const p = examplePayload('push') as Payload;
      p.ref = `refs/heads/${p.repository.default_branch}`;
      p.deleted = true;
      p.after = '0'.repeat(40);
      return p;
    },
    task: null,
    outcome: 'ignored',
  },
  { title: 'installation created', event: 'installation', payload: () => examplePayload('installation', (p) => p.action === 'created'), task: null, outcome: 'processed' },
  { title: 'installation deleted', event: 'installation', payload: () => examplePayload('installation', (p) => p.action === 'deleted'), task: null, outcome: 'processed' },
  {
    title: 'installation_repositories added',
    event: 'installation_repositories',
    payload: () => examplePayload('installation_repositories', (p) => p.action === 'added'),
    task: null,
    outcome: 'processed',
  },
  { title: 'ping', event: 'ping', payload: () => examplePayload('ping'), task: null, outcome: 'processed' },
  { title: 'issues opened (anything else)', event: 'issues', payload: () => examplePayload('issues', (p) => p.action === 'opened'), task: null, outcome: 'ignored' },
];

describe('actors: the event rules with real example payloads', function () {
  this.timeout(60_000);
  let stack: FullStack;
  before(async () => {
    stack = await startFullStack();
  });
  after(async () => {
    await stack.dispose();
  });

  for (const row of ROWS) {
    it(`${row.title} → ${row.task ?? 'no task'} (${row.outcome})`, async () => {
      const payload = row.payload() as Payload;
      const answer = await postWebhook(stack.service.url, { event: row.event, payload, secret: TEST_SECRET });
      expect(answer.status).to.equal(202);
      const delivery = await waitFor(
        async () => {
          const detail = await getDelivery(stack.em(), answer.deliveryId);
          return detail && detail.delivery.outcome !== 'received' ? detail : undefined;
        },
        { message: `delivery ${answer.deliveryId} settled` },
      );
      expect(delivery.delivery.outcome).to.equal(row.outcome);
      expect(delivery.delivery.eventType).to.equal(row.event);
      // Read from the payload, also by the headers-only consumer of events no actor owns.
      expect(delivery.delivery.repository).to.equal(payload.repository?.full_name ?? null);
      const tasks = await listTasks(stack.em(), { deliveryId: answer.deliveryId }, { limit: 10, offset: 0 });
      expect(tasks.rows.map((task) => task.taskType)).to.deep.equal(row.task ? [row.task] : []);
    });
  }

  it('keeps the installation record when an installation is created and then deleted', async () => {
    const created = examplePayload('installation', (p) => p.action === 'created') as Payload;
    const deleted = examplePayload('installation', (p) => p.action === 'deleted') as Payload;
    // An installation of its own: the table above already sent the example bodies (again would be a replay).
    created.installation.id = Math.floor(Math.random() * 1e9);
    deleted.installation.id = created.installation.id;
    for (const payload of [created, deleted]) {
      const answer = await postWebhook(stack.service.url, { event: 'installation', payload, secret: TEST_SECRET });
      await waitFor(async () => (await getDelivery(stack.em(), answer.deliveryId))?.delivery.outcome === 'processed');
    }
    const rows = await stack.em().getConnection().execute('select status, account_login from installations where id = ?', [created.installation.id]);
    expect(rows[0]).to.deep.include({ status: 'deleted', account_login: deleted.installation.account.login });
  });
});
