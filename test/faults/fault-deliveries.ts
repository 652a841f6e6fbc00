import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { failedCheckRunPayload } from '../helpers/check-run-delivery.js';
import { mockFailedChecks, type MockedCheckRun } from '../helpers/github-check-mocks.js';
import type { GithubGraphqlDouble } from '../helpers/github-graphql-double.js';
import { signedWebhook } from '../helpers/signed-webhook.js';
import { examplePayload } from '../fixtures/webhook-examples.js';

/** One signed delivery of a fault run: sent (and redelivered) with the same id and bytes. */
export interface FaultDelivery {
  deliveryId: string;
  event: 'pull_request' | 'check_run';
  headers: Record<string, string>;
  body: string;
}

/** The known set of deliveries a scenario sends, and what they must lead to. */
export interface FaultDeliveries {
  deliveries: FaultDelivery[];
  /** The head SHAs that have failing checks: exactly one Codegen fix run each. */
  failingHeads: string[];
  /** Answers the GraphQL double gives for the failing checks (node(id:) → CheckRun on its pull request's head). */
  checkRuns: MockedCheckRun[];
  /** Installs those answers on the GitHub double. */
  mockGithub(github: GithubGraphqlDouble): void;
}

export interface FaultDeliveriesOptions {
  secret: string;
  /** Distinct pull requests opened (one `pull_request_analysis` task each). */
  pullRequests: number;
  /** How many of them (the first ones) get failing checks. */
  failingPullRequests: number;
  /** Failing check runs per failing head (coalesced into one Codegen run). Default 2. */
  checksPerHead?: number;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Real @octokit/webhooks-examples payloads, signed as GitHub signs them: `pull_request.opened`
 * for distinct pull requests (number, id, node id and head SHA of their own, event time now), and
 * for some of them failing `check_run.completed` on their head, so analyses and Codegen runs
 * happen. Pull requests come first in the list, each head's checks after it, interleaved.
 */
export function faultDeliveries(options: FaultDeliveriesOptions): FaultDeliveries {
  const run = randomBytes(3).toString('hex');
  const base = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
  const repository = base.repository;
  const deliveries: FaultDelivery[] = [];
  const checkRuns: MockedCheckRun[] = [];
  const failingHeads: string[] = [];
  const sign = (event: FaultDelivery['event'], payload: unknown): FaultDelivery => {
    const deliveryId = randomUUID();
    const { headers, body } = signedWebhook({ event, payload, secret: options.secret, deliveryId });
    return { deliveryId, event, headers, body };
  };
  const checks: FaultDelivery[] = [];
  for (let index = 0; index < options.pullRequests; index++) {
    const number = 1000 + index;
    const headSha = createHash('sha1').update(`${run}:${index}`).digest('hex');
    const payload = structuredClone(base);
    payload.number = number;
    payload.pull_request.number = number;
    payload.pull_request.id = 7_000_000_000 + parseInt(run, 16) * 1000 + index;
    payload.pull_request.node_id = `PR_faults${run}${index}`;
    payload.pull_request.head.sha = headSha;
    payload.pull_request.draft = false;
    payload.pull_request.updated_at = now();
    deliveries.push(sign('pull_request', payload));
    if (index >= options.failingPullRequests) continue;
    failingHeads.push(headSha);
    for (let c = 0; c < (options.checksPerHead ?? 2); c++) {
      const nodeId = `CR_faults${run}_${index}_${c}`;
      const name = `check ${c + 1}`;
      checkRuns.push({ nodeId, name, headSha, prNumber: number, annotations: [{ path: `src/file${c}.ts`, line: 3, message: `${name} failed on ${number}` }] });
      const check = failedCheckRunPayload({ nodeId, name, headSha, prNumber: number }) as Record<string, any>;
      check.repository = repository;
      check.check_run.completed_at = now();
      checks.push(sign('check_run', check));
    }
  }
  // Every pull request's check failures go out after the pull requests, spread over the run.
  const ordered: FaultDelivery[] = [];
  const stride = Math.max(1, Math.floor(deliveries.length / Math.max(1, checks.length)));
  deliveries.forEach((delivery, index) => {
    ordered.push(delivery);
    if (index % stride === stride - 1 && checks.length > 0) ordered.push(checks.shift()!);
  });
  ordered.push(...checks);
  return {
    deliveries: ordered,
    failingHeads,
    checkRuns,
    mockGithub(github) {
      mockFailedChecks(github, { headSha: failingHeads[0] ?? '0'.repeat(40), prNumber: 1000, runs: checkRuns });
    },
  };
}
