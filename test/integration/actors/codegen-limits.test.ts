import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { getTask, listTasks } from '../../../src/effects/db/task-store.js';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

const sha = () => randomBytes(20).toString('hex');

async function failCheck(stack: FullStack, run: { nodeId: string; name: string; headSha: string; prNumber: number }) {
  const answer = await postWebhook(stack.service.url, { event: 'check_run', payload: failedCheckRunPayload(run), secret: TEST_SECRET });
  expect(answer.status).to.equal(202);
  return answer;
}

async function triggerFor(stack: FullStack, headSha: string) {
  return waitFor(async () => {
    const triggers = await listTasks(stack.em(), { taskType: 'codegen_trigger' }, { limit: 100, offset: 0 });
    return triggers.rows.find((task) => task.headSha === headSha);
  });
}

describe('Codegen and GitHub limits and outages', function () {
  this.timeout(90_000);
  let stack: FullStack;
  afterEach(async () => {
    expect(stack.github.invalidQueries).to.deep.equal([]);
    await stack.dispose();
  });

  it('keeps to Codegen’s 10 agent creations per minute: the 11th creation waits for the window, paced, not refused', async () => {
    stack = await startFullStack();
    const runs = Array.from({ length: 11 }, (_, i) => ({ nodeId: `CR_${i}`, name: `check ${i}`, annotations: [], headSha: sha(), prNumber: 100 + i }));
    mockFailedChecks(stack.github, { headSha: runs[0]!.headSha, prNumber: 100, runs });
    for (const run of runs) await failCheck(stack, run);
    await waitFor(() => stack.codegen.runs.size === 10, { message: 'ten runs' });
    // The eleventh waits for the creation budget before it starts an attempt: still queued, no run.
    const eleventh = await waitFor(async () => {
      const triggers = await listTasks(stack.em(), { taskType: 'codegen_trigger' }, { limit: 100, offset: 0 });
      // Once the ten runs are recorded on their triggers (Codegen may hold a run a moment before
      // its trigger does), the one left without a run is the eleventh.
      const recorded = triggers.rows.filter((task) => task.codegenRunId !== null).length;
      return triggers.total === 11 && recorded === 10 ? triggers.rows.find((task) => task.codegenRunId === null) : undefined;
    }, { message: 'the eleventh trigger to be held back by the pacing' });
    expect(eleventh.status).to.equal('queued');
    expect(eleventh.attemptCount).to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stack.codegen.runs.size).to.equal(10);
    const answered429 = stack.codegen.requests.filter((request) => request.status === 429);
    expect(answered429, 'Codegen itself never had to refuse').to.have.length(0);
    const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
    expect(metrics).to.match(/orchestrator_rate_limited_total\{scope="codegen_create"\} [1-9]/);
  });

  it('opens the Codegen breaker during an outage, without a tight loop, and starts the run after recovery', async () => {
    stack = await startFullStack({}, { breakers: { coolDownMs: 1500, failureThreshold: 2 } });
    const headSha = sha();
    mockFailedChecks(stack.github, { headSha, prNumber: 5, runs: [{ nodeId: 'CR_o', name: 'outage', annotations: [] }] });
    stack.codegen.failNext(500, 1_000_000);
    await failCheck(stack, { nodeId: 'CR_o', name: 'outage', headSha, prNumber: 5 });
    const trigger = await triggerFor(stack, headSha);
    await waitFor(async () => {
      const health = (await (await fetch(`${stack.service.url}/health`)).json()) as { checks: { codegen_api: { breaker: string } } };
      return health.checks.codegen_api.breaker === 'open';
    }, { message: 'the Codegen breaker to open' });
    // Counted by the breaker's own transitions, not by a wall-clock window: while it stays out of
    // 'closed', Codegen hears only one probe per half-open (plus a call that was already under way
    // when it opened), never a loop.
    const during = stack.codegen.requests.length;
    let probes = 0;
    const watch = stack.service.breakers.codegen.state$.subscribe((state) => (probes += state === 'half_open' ? 1 : 0));
    try {
      await waitFor(() => probes >= 2 && stack.service.breakers.codegen.state === 'open', { message: 'two failed probes' });
      const heard = stack.codegen.requests.length - during;
      expect(heard).to.be.at.least(1).and.at.most(probes + 1);
    } finally {
      watch.unsubscribe();
    }
    const health = (await (await fetch(`${stack.service.url}/health`)).json()) as { status: string };
    expect(health.status).to.equal('degraded');

    stack.codegen.clearFailures();
    const started = await waitFor(async () => (await getTask(stack.em(), trigger.id))?.task.codegenRunId ?? undefined, {
      timeoutMs: 40_000,
      message: 'the run to start after recovery',
    });
    expect(stack.codegen.runs.has(started)).to.equal(true);
    expect(stack.codegen.runs.size).to.equal(1);
  });

  it('treats a Codegen that stops answering in time like one that fails, and after recovery adopts the run a timed-out create started', async () => {
    stack = await startFullStack({ CODEGEN_TIMEOUT_MS: '300' }, { breakers: { coolDownMs: 1000, failureThreshold: 2 } });
    const headSha = sha();
    mockFailedChecks(stack.github, { headSha, prNumber: 8, runs: [{ nodeId: 'CR_slow', name: 'slow', annotations: [] }] });
    stack.codegen.setLatencyMs(1500);
    await failCheck(stack, { nodeId: 'CR_slow', name: 'slow', headSha, prNumber: 8 });
    const trigger = await triggerFor(stack, headSha);
    await waitFor(() => stack.service.breakers.codegen.state === 'open', { message: 'the Codegen breaker to open on timeouts' });
    const during = await getTask(stack.em(), trigger.id);
    expect(during!.attempts.some((attempt) => /circuit_open|dependency_timeout/.test(attempt.error ?? ''))).to.equal(true);
    // Recover only once the timed-out create has reached Codegen (1.5 s after it was sent): a
    // probe that asked for its run earlier would find none, and rightly start a second one.
    await waitFor(() => stack.codegen.runs.size === 1, { message: 'the timed-out create to reach Codegen' });
    stack.codegen.setLatencyMs(0);
    await waitFor(async () => (await getTask(stack.em(), trigger.id))?.task.codegenRunId ?? undefined, {
      timeoutMs: 40_000,
      message: 'the run to start once Codegen answers in time',
    });
    // The first create timed out on our side but reached Codegen: that run is adopted, no second one is started.
    const started = (await getTask(stack.em(), trigger.id))!.task;
    expect(stack.codegen.runs.size, 'runs Codegen started').to.equal(1);
    expect(started.codegenRunId).to.equal([...stack.codegen.runs.keys()][0]);
    const creates = stack.codegen.requests.filter((request) => request.method === 'POST');
    expect(creates).to.have.length(1);
  });

  it('treats GitHub rate limiting (RATE_LIMITED in a 200) as a reason to wait, not a failure', async () => {
    stack = await startFullStack();
    const headSha = sha();
    mockFailedChecks(stack.github, { headSha, prNumber: 3, runs: [{ nodeId: 'CR_r', name: 'rl', annotations: [] }] });
    stack.github.setRateLimitHeaders({ remaining: 4000, resetAt: Math.floor(Date.now() / 1000) + 2 });
    stack.github.setRateLimited(1);
    const answer = await failCheck(stack, { nodeId: 'CR_r', name: 'rl', headSha, prNumber: 3 });
    const analysis = await waitFor(async () => {
      const tasks = await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'check_failure_analysis' }, { limit: 1, offset: 0 });
      const task = tasks.rows[0];
      return task && ['succeeded', 'failed', 'dead'].includes(task.status) ? task : undefined;
    }, { timeoutMs: 30_000 });
    expect(analysis.status).to.equal('succeeded');
    const detail = (await getTask(stack.em(), analysis.id))!;
    expect(detail.attempts.length).to.be.greaterThan(1);
    expect(detail.attempts[0]!.outcome).to.equal('retrying');
    expect(detail.attempts[0]!.error).to.match(/^rate_limited/);
  });
});
