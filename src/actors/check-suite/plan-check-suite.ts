import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';
import { planFailedCheck } from '../plan-failed-check.js';

const FAILED = new Set(['failure', 'timed_out']);

const checkSuitePayload = z.object({
  action: z.string(),
  check_suite: z.object({
    id: z.number(),
    node_id: z.string(),
    head_sha: z.string(),
    head_branch: z.string().nullable().optional(),
    conclusion: z.string().nullable().optional(),
    pull_requests: z.array(z.object({ number: z.number() })).optional(),
  }),
  repository: z.object({ full_name: z.string() }),
  installation: z.object({ id: z.number() }).optional(),
});

/** check_suite completed with failure or timed_out → `check_suite_failure_analysis`. */
export function planCheckSuite(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = checkSuitePayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a check_suite event' };
  const { action, check_suite: suite, repository, installation } = parsed.data;
  return planFailedCheck(
    {
      action,
      conclusion: suite.conclusion,
      repository: repository.full_name,
      installationId: installation?.id ?? null,
      headSha: suite.head_sha,
      pullRequestNumbers: (suite.pull_requests ?? []).map((pr) => pr.number),
      headBranch: suite.head_branch ?? null,
      identity: { node_id: suite.node_id, check_suite_id: suite.id },
    },
    { failedConclusions: FAILED, taskType: 'check_suite_failure_analysis' },
  );
}
