import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { listTasks } from '../../../src/effects/db/task-store.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

const sha = () => randomBytes(20).toString('hex');

describe('push analysis', function () {
  this.timeout(60_000);
  let stack: FullStack;
  afterEach(async () => {
    expect(stack.github.invalidQueries).to.deep.equal([]);
    await stack.dispose();
  });

  it('reports only the commits the push brought, not the history below its before SHA', async () => {
    stack = await startFullStack();
    // A branch with 25 commits; the push added the newest two on top of `before`.
    const history = Array.from({ length: 25 }, (_, i) => ({
      oid: sha(),
      message: i < 2 ? `pushed commit ${i}` : `older commit ${i}`,
      committedDate: new Date(Date.UTC(2026, 10, 29, 12, 0, -i)).toISOString(),
      additions: 1,
      deletions: 0,
      changedFilesIfAvailable: 1,
      author: { name: 'Mona Lisa', email: 'mona@example.com' },
    }));
    stack.github.setMocks({}, {
      Repository: {
        object: () => ({ __typename: 'Commit', ...history[0], history: { nodes: history.slice(0, 20) } }),
      },
    });
    const push = examplePayload('push') as Record<string, any>;
    push.ref = `refs/heads/${push.repository.default_branch}`;
    push.deleted = false;
    push.after = history[0]!.oid;
    push.before = history[2]!.oid;

    const answer = await postWebhook(stack.service.url, { event: 'push', payload: push, secret: TEST_SECRET });
    expect(answer.status).to.equal(202);
    const task = await waitFor(async () => {
      const page = await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'push_analysis' }, { limit: 1, offset: 0 });
      return page.rows[0]?.status === 'succeeded' ? page.rows[0] : undefined;
    }, { message: 'the push analysis to succeed' });

    const commits = (task.findings as { commits: Array<{ sha: string }> }).commits;
    expect(commits.map((commit) => commit.sha)).to.deep.equal([history[0]!.oid, history[1]!.oid]);
    expect(task.reason).to.match(/^Push of 2 commit\(s\)/);
  });
});
