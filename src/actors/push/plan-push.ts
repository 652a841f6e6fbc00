import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';

const ZERO_SHA = /^0+$/;

const pushPayload = z.object({
  ref: z.string(),
  after: z.string(),
  before: z.string().optional(),
  deleted: z.boolean().optional(),
  repository: z.object({ full_name: z.string(), default_branch: z.string().optional() }),
  installation: z.object({ id: z.number() }).optional(),
  commits: z.array(z.object({ id: z.string() })).optional(),
});

/**
 * push to the repository's default branch (main/master when the payload does not say), not a
 * deletion → `push_analysis`. Pushes to other branches are recorded and ignored.
 */
export function planPush(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = pushPayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a push event' };
  const { ref, after, before, deleted, repository, installation, commits } = parsed.data;
  if (deleted || ZERO_SHA.test(after)) return { kind: 'ignore', reason: `${ref} was deleted` };
  const branch = ref.replace(/^refs\/heads\//, '');
  const defaults = repository.default_branch ? [repository.default_branch] : ['main', 'master'];
  if (!ref.startsWith('refs/heads/') || !defaults.includes(branch)) {
    return { kind: 'ignore', reason: `${ref} is not the default branch` };
  }
  const [owner, name] = repository.full_name.split('/');
  return {
    kind: 'task',
    taskType: 'push_analysis',
    repository: repository.full_name,
    pullRequestNumber: null,
    headSha: after,
    input: {
      owner,
      repo: name,
      installation_id: installation?.id ?? null,
      ref,
      // Where the branch was before: the analysis reads only the commits after it (none for a new branch).
      before: before && !ZERO_SHA.test(before) ? before : null,
      commit_ids: (commits ?? []).map((commit) => commit.id),
    },
  };
}
