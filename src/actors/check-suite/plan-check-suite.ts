import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';

const FAILED = new Set(['failure', 'timed_out']);

const checkSuitePayload = z.looseObject({
  action: z.string(),
  check_suite: z.looseObject({
    id: z.number(),
    node_id: z.string(),
    head_sha: z.string(),
    head_branch: z.string().nullable().optional(),
    conclusion: z.string().nullable().optional(),
    pull_requests: z.array(z.looseObject({ number: z.number() })).optional(),
  }),
  repository: z.looseObject({ full_name: z.string() }),
  installation: z.looseObject({ id: z.number() }).optional(),
});

/** check_suite completed with failure or timed_out → `check_suite_failure_analysis`. */
export function planCheckSuite(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = checkSuitePayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a check_suite event' };
  const { action, check_suite: suite, repository, installation } = parsed.data;
  if (action !== 'completed') return { kind: 'ignore', reason: `action ${action} is not analysed` };
  if (!suite.conclusion || !FAILED.has(suite.conclusion)) {
    return { kind: 'ignore', reason: `conclusion ${suite.conclusion ?? 'none'} is not a failure` };
  }
  const [owner, name] = repository.full_name.split('/');
  return {
    kind: 'task',
    taskType: 'check_suite_failure_analysis',
    repository: repository.full_name,
    pullRequestNumber: suite.pull_requests?.[0]?.number ?? null,
    headSha: suite.head_sha,
    input: {
      owner,
      repo: name,
      installation_id: installation?.id ?? null,
      node_id: suite.node_id,
      check_suite_id: suite.id,
      conclusion: suite.conclusion,
      pull_request_numbers: (suite.pull_requests ?? []).map((pr) => pr.number),
      head_branch: suite.head_branch ?? null,
    },
  };
}
