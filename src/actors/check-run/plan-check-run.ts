import { z } from 'zod';
import type { WebhookEnvelope } from '../../contracts/webhook-envelope.js';
import type { GithubEventPlan } from '../github-event-plan.js';

const FAILED = new Set(['failure', 'timed_out', 'startup_failure']);

const checkRunPayload = z.looseObject({
  action: z.string(),
  check_run: z.looseObject({
    id: z.number(),
    node_id: z.string(),
    name: z.string(),
    head_sha: z.string(),
    status: z.string(),
    conclusion: z.string().nullable().optional(),
    pull_requests: z.array(z.looseObject({ number: z.number() })).optional(),
    check_suite: z.looseObject({ head_branch: z.string().nullable().optional() }).optional(),
  }),
  repository: z.looseObject({ full_name: z.string() }),
  installation: z.looseObject({ id: z.number() }).optional(),
});

/** check_run completed with failure, timed_out or startup_failure → `check_failure_analysis`. */
export function planCheckRun(envelope: WebhookEnvelope): GithubEventPlan {
  const parsed = checkRunPayload.safeParse(envelope.payload);
  if (!parsed.success) return { kind: 'ignore', reason: 'payload is not a check_run event' };
  const { action, check_run: run, repository, installation } = parsed.data;
  if (action !== 'completed') return { kind: 'ignore', reason: `action ${action} is not analysed` };
  if (!run.conclusion || !FAILED.has(run.conclusion)) {
    return { kind: 'ignore', reason: `conclusion ${run.conclusion ?? 'none'} is not a failure` };
  }
  const [owner, name] = repository.full_name.split('/');
  return {
    kind: 'task',
    taskType: 'check_failure_analysis',
    repository: repository.full_name,
    pullRequestNumber: run.pull_requests?.[0]?.number ?? null,
    headSha: run.head_sha,
    input: {
      owner,
      repo: name,
      installation_id: installation?.id ?? null,
      node_id: run.node_id,
      check_run_id: run.id,
      check_name: run.name,
      conclusion: run.conclusion,
      pull_request_numbers: (run.pull_requests ?? []).map((pr) => pr.number),
      head_branch: run.check_suite?.head_branch ?? null,
    },
  };
}
