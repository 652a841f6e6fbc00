import { examplePayload } from '../fixtures/webhook-examples.js';

/** A real check_run `completed` example, reshaped into a failure of `name` on `headSha`. */
export function failedCheckRunPayload(options: { nodeId: string; name: string; headSha: string; prNumber: number; id?: number }) {
  const payload = examplePayload('check_run', (p) => p.action === 'completed') as Record<string, any>;
  payload.check_run.node_id = options.nodeId;
  payload.check_run.id = options.id ?? Math.floor(Math.random() * 1e9);
  payload.check_run.name = options.name;
  payload.check_run.head_sha = options.headSha;
  payload.check_run.conclusion = 'failure';
  payload.check_run.pull_requests = [{ ...(payload.check_run.pull_requests?.[0] ?? {}), number: options.prNumber }];
  return payload;
}
