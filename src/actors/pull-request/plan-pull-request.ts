import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';

const ANALYSED_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);

const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int(),
  pull_request: z.object({
    number: z.number().int(),
    node_id: z.string().optional(),
    draft: z.boolean().optional(),
    state: z.string(),
    updated_at: z.string(),
    head: z.object({ sha: z.string(), ref: z.string() }),
    base: z.object({ ref: z.string() }),
    labels: z.array(z.object({ name: z.string() })).optional(),
  }),
  repository: z.object({ full_name: z.string() }),
  installation: z.object({ id: z.number() }).optional(),
});

/**
 * pull_request → `pull_request_analysis` for opened, synchronize, reopened and ready_for_review;
 * drafts wait for ready_for_review (a draft is not ready for analysis). Everything else is recorded
 * and ignored.
 */
export function planPullRequest(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = pullRequestPayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a pull request event' };
  const { action, pull_request: pr, repository, installation } = parsed.data;
  if (!ANALYSED_ACTIONS.has(action)) return { kind: 'ignore', reason: `action ${action} is not analysed` };
  if (pr.draft && action !== 'ready_for_review') {
    return { kind: 'ignore', reason: 'draft pull requests are analysed once ready for review' };
  }
  const [owner, name] = repository.full_name.split('/');
  return {
    kind: 'task',
    taskType: 'pull_request_analysis',
    repository: repository.full_name,
    pullRequestNumber: pr.number,
    headSha: pr.head.sha,
    input: {
      owner,
      repo: name,
      number: pr.number,
      installation_id: installation?.id ?? null,
      labels: (pr.labels ?? []).map((label) => label.name),
      head_ref: pr.head.ref,
      base_ref: pr.base.ref,
    },
    pullRequestHead: { number: pr.number, headSha: pr.head.sha, updatedAt: new Date(pr.updated_at) },
  };
}
