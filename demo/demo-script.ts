import { randomBytes, randomUUID } from 'node:crypto';
import { failedCheckRunPayload } from '../test/helpers/check-run-delivery.js';
import { mockFailedChecks } from '../test/helpers/github-check-mocks.js';
import { postWebhook } from '../test/helpers/signed-webhook.js';
import { FULL_STACK_API_TOKEN, startFullStack } from '../test/helpers/start-full-stack.js';
import { TEST_SECRET } from '../test/helpers/start-test-service.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { examplePayload } from '../test/fixtures/webhook-examples.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where each line of the story goes. */
  out(line: string): void;
}

/** What the demo left behind, so that a test can check it cleaned up. */
export interface DemoResult {
  namespace: string;
  databaseName: string;
}

type Payload = Record<string, any>;

/**
 * The whole flow on this machine: the service on the local NATS and PostgreSQL (a namespace and a
 * database of its own, removed at the end) with loopback doubles of GitHub's GraphQL API and of
 * Codegen; a pull request opened, two checks failing on its head commit, a push to the default
 * branch and a duplicate redelivery; then what the service made of each, step by step.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.out;
  say('webhook-orchestrator demo: GitHub webhooks → JetStream → actors → PostgreSQL → Codegen');
  say('');
  say('1. Starting the service on this machine’s NATS and PostgreSQL, with loopback GitHub and Codegen doubles…');
  const stack = await startFullStack({ LOG_LEVEL: 'warn' });
  const { service } = stack;
  say(`   listening on ${service.url} · NATS namespace ${service.namespace} · database ${service.databaseName}`);
  try {
    const before = await metricSamples(service.url);
    const headSha = randomBytes(20).toString('hex');
    const prNumber = 42;
    const pushSha = randomBytes(20).toString('hex');
    // What GitHub's GraphQL API knows: the pull request's head, its two failing checks, the pushed commit.
    mockFailedChecks(
      stack.github,
      {
        headSha,
        prNumber,
        runs: [
          { nodeId: 'CR_demo_unit', name: 'unit tests', annotations: [{ path: 'src/cache.ts', line: 14, message: 'expected 2 to equal 3' }] },
          { nodeId: 'CR_demo_lint', name: 'lint', annotations: [{ path: 'src/cache.ts', line: 3, message: "'ttl' is assigned a value but never used" }] },
        ],
      },
      {
        Repository: {
          pullRequest: (_root: unknown, args: { number: number }) => ({
            number: args.number,
            title: 'Cache entries expire after their TTL',
            state: 'OPEN',
            isDraft: false,
            headRefOid: headSha,
            labels: { nodes: [] },
          }),
          object: (_root: unknown, args: { oid: string }) => {
            const commit = {
              oid: args.oid,
              message: 'Merge pull request #41 from octo/widgets-retry',
              committedDate: new Date().toISOString(),
              additions: 12,
              deletions: 3,
              changedFilesIfAvailable: 2,
              author: { name: 'Mona Lisa', email: 'mona@example.com' },
            };
            return { __typename: 'Commit', ...commit, history: { nodes: [commit] } };
          },
        },
      },
    );

    say('');
    say('2. Sending signed deliveries, exactly as GitHub would (real @octokit/webhooks-examples payloads):');
    const pr = examplePayload('pull_request', (p) => p.action === 'opened') as Payload;
    pr.number = prNumber;
    pr.pull_request.number = prNumber;
    pr.pull_request.draft = false;
    pr.pull_request.head.sha = headSha;
    const push = examplePayload('push') as Payload;
    push.ref = `refs/heads/${push.repository.default_branch}`;
    push.deleted = false;
    push.after = pushSha;
    const unit = failedCheckRunPayload({ nodeId: 'CR_demo_unit', name: 'unit tests', headSha, prNumber });
    const lint = failedCheckRunPayload({ nodeId: 'CR_demo_lint', name: 'lint', headSha, prNumber });
    const sent: Array<{ label: string; event: string; payload: Payload; deliveryId: string }> = [
      { label: `pull_request.opened #${prNumber}`, event: 'pull_request', payload: pr, deliveryId: randomUUID() },
      { label: `check_run "unit tests" failed on ${headSha.slice(0, 7)}`, event: 'check_run', payload: unit, deliveryId: randomUUID() },
      { label: `check_run "lint" failed on ${headSha.slice(0, 7)}`, event: 'check_run', payload: lint, deliveryId: randomUUID() },
      { label: `push to ${push.ref}`, event: 'push', payload: push, deliveryId: randomUUID() },
    ];
    for (const delivery of sent) {
      const answer = await postWebhook(service.url, { event: delivery.event, payload: delivery.payload, secret: TEST_SECRET, deliveryId: delivery.deliveryId });
      say(`   → ${delivery.label.padEnd(44)} ${answer.status} ${answer.body?.result?.status ?? answer.body?.error?.code} (delivery ${delivery.deliveryId})`);
    }
    const again = sent[1]!;
    const duplicate = await postWebhook(service.url, { event: again.event, payload: again.payload, secret: TEST_SECRET, deliveryId: again.deliveryId });
    say(`   → ${`GitHub redelivers ${again.label.slice(0, 18)}…`.padEnd(44)} ${duplicate.status} ${duplicate.body?.result?.status} (same delivery id: nothing runs twice)`);

    say('');
    say('3. Waiting for the actors (analysis through GitHub GraphQL, then one Codegen run for the failing commit)…');
    const api = (path: string) => getJson(`${service.url}${path}`);
    const deliveries = await waitFor(async () => {
      const views = await Promise.all(sent.map((delivery) => api(`/api/v1/deliveries/${delivery.deliveryId}`).catch(() => undefined)));
      return views.every((view) => view && view.outcome !== 'received') ? (views as Payload[]) : undefined;
    }, { timeoutMs: 30_000, message: 'every delivery settled' });
    const run = await waitFor(() => [...stack.codegen.runs.values()][0], { timeoutMs: 30_000, message: 'a Codegen run' });
    stack.codegen.completeRun(run.id);
    const trigger = await waitFor(async () => {
      const page = await api('/api/v1/tasks?task_type=codegen_trigger');
      const task = page.tasks.find((candidate: Payload) => candidate.head_sha === headSha);
      return task?.status === 'succeeded' ? task : undefined;
    }, { timeoutMs: 30_000, message: 'the Codegen trigger to finish' });

    say('');
    say('4. Deliveries and their outcomes (GET /api/v1/deliveries):');
    for (const [index, view] of deliveries.entries()) {
      say(`   ${sent[index]!.label.padEnd(44)} ${String(view.outcome).padEnd(10)} tasks: ${view.tasks.map((task: Payload) => task.task_type).join(', ') || '(none)'}`);
    }

    say('');
    say('5. Tasks and why (GET /api/v1/tasks):');
    const tasks = (await api('/api/v1/tasks?limit=20')).tasks as Payload[];
    for (const task of [...tasks].reverse()) {
      say(`   ${String(task.task_type).padEnd(28)} ${String(task.status).padEnd(10)} ${task.reason ?? ''}`);
    }

    say('');
    const detail = await api(`/api/v1/tasks/${trigger.id}`);
    const creates = stack.codegen.requests.filter((request) => request.method === 'POST');
    say(`6. Codegen: ${creates.length} agent run for ${headSha.slice(0, 7)} (two failures coalesced into one), run ${detail.codegen_run?.id} ${detail.codegen_run?.status}`);
    say(`   ${detail.codegen_run?.web_url}`);
    say('   prompt (excerpt):');
    const prompt = String((creates[0]?.body as { prompt?: string } | undefined)?.prompt ?? detail.findings?.prompt ?? '');
    for (const line of prompt.split('\n').filter((text) => text.trim() !== '').slice(0, 10)) say(`   │ ${line.slice(0, 110)}`);

    say('');
    say('7. Metrics that moved (GET /metrics):');
    const after = await metricSamples(service.url);
    for (const [name, value] of after) {
      const delta = value - (before.get(name) ?? 0);
      if (delta > 0 && /^orchestrator_\w+_total\{/.test(name)) {
        say(`   ${name} +${Number.isInteger(delta) ? delta : delta.toFixed(3)}`);
      }
    }

    say('');
    say('8. Where to look next:');
    say(`   ${service.url}/docs            the API (Swagger UI); ${service.url}/openapi.json`);
    say(`   ${service.url}/metrics         Prometheus metrics; ops/grafana has four dashboards`);
    say('   npx orchestrator --help        the operator CLI: deliveries, tasks, dlq, streams diff, recover, send');
    say('   npm start                      the real thing (set GITHUB_WEBHOOK_SECRET; README.md says the rest)');
  } finally {
    await stack.dispose();
  }
  say('');
  say(`Cleaned up: streams of namespace ${service.namespace} deleted, database ${service.databaseName} dropped, doubles stopped.`);
  return { namespace: service.namespace, databaseName: service.databaseName };

  async function getJson(url: string): Promise<Payload> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${FULL_STACK_API_TOKEN}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return (await response.json()) as Payload;
  }
}

/** Every sample of /metrics as `name{labels}` → value. */
async function metricSamples(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

