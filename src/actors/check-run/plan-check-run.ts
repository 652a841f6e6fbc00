import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';
import { planFailedCheck } from '../plan-failed-check.js';

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

const checkRunPayload = z.object({
  action: z.string(),
  check_run: z.object({
    id: z.number(),
    node_id: z.string(),
    name: z.string(),
    head_sha: z.string(),
    status: z.string(),
    conclusion: z.string().nullable().optional(),
    pull_requests: z.array(z.object({ number: z.number() })).optional(),
    check_suite: z.object({ head_branch: z.string().nullable().optional() }).optional(),
  }),
  repository: z.object({ full_name: z.string() }),
  installation: z.object({ id: z.number() }).optional(),
});

/** check_run completed with failure, timed_out or startup_failure → `check_failure_analysis`. */
export function planCheckRun(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = checkRunPayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a check_run event' };
  const { action, check_run: run, repository, installation } = parsed.data;
  return planFailedCheck(
    {
      action,
      conclusion: run.conclusion,
      repository: repository.full_name,
      installationId: installation?.id ?? null,
      headSha: run.head_sha,
      pullRequestNumbers: (run.pull_requests ?? []).map((pr) => pr.number),
      headBranch: run.check_suite?.head_branch ?? null,
      identity: { node_id: run.node_id, check_run_id: run.id, check_name: run.name },
    },
    { failedConclusions: FAILED, taskType: 'check_failure_analysis' },
  );
}
