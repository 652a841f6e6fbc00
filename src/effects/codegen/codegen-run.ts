import { z } from 'zod';
import { normalizeCodegenStatus, type CodegenRunState } from './normalize-codegen-status.js';

/** A pull request Codegen opened or updated during a run. */
export interface CodegenPullRequest {
  id: number;
  title?: string;
  url?: string;
  headBranchName?: string;
  createdAt?: string;
}

/** An agent run as the orchestrator sees it. `status` is verbatim; `state` is normalised. */
export interface CodegenRun {
  id: number;
  status: string;
  state: CodegenRunState;
  webUrl?: string;
  summary?: string;
  result?: string;
  createdAt?: string;
  pullRequests?: CodegenPullRequest[];
  /** What we sent with the create call (our task id), as Codegen stores it. */
  metadata?: Record<string, unknown>;
}

const optionalText = z.string().nullish();

// Lenient on purpose: only `id` is needed to follow a run; every other documented field is
// nullable upstream and unknown fields are kept rather than rejected.
const pullRequestSchema = z.looseObject({
  id: z.number(),
  title: optionalText,
  url: optionalText,
  head_branch_name: optionalText,
  created_at: optionalText,
});

/** The documented AgentRunResponse, accepted leniently. */
export const agentRunResponseSchema = z.looseObject({
  id: z.number().int(),
  organization_id: z.number().int().nullish(),
  status: optionalText,
  created_at: optionalText,
  web_url: optionalText,
  result: optionalText,
  summary: optionalText,
  source_type: optionalText,
  github_pull_requests: z.array(pullRequestSchema).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type AgentRunResponse = z.infer<typeof agentRunResponseSchema>;

/** The documented page of List Agent Runs (newest first). */
export const agentRunPageSchema = z.looseObject({
  items: z.array(agentRunResponseSchema),
  total: z.number().int().nullish(),
});

/** Converts a validated AgentRunResponse into a {@link CodegenRun}. */
export function toCodegenRun(response: AgentRunResponse): CodegenRun {
  const run: CodegenRun = {
    id: response.id,
    status: response.status ?? '',
    state: normalizeCodegenStatus(response.status),
  };
  if (response.web_url) run.webUrl = response.web_url;
  if (response.summary) run.summary = response.summary;
  if (response.result) run.result = response.result;
  if (response.created_at) run.createdAt = response.created_at;
  if (response.metadata) run.metadata = response.metadata;
  if (response.github_pull_requests) {
    run.pullRequests = response.github_pull_requests.map((pr) => {
      const pullRequest: CodegenPullRequest = { id: pr.id };
      if (pr.title) pullRequest.title = pr.title;
      if (pr.url) pullRequest.url = pr.url;
      if (pr.head_branch_name) pullRequest.headBranchName = pr.head_branch_name;
      if (pr.created_at) pullRequest.createdAt = pr.created_at;
      return pullRequest;
    });
  }
  return run;
}
