import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { getTask, listTasks } from '../../../src/effects/db/task-store.js';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { FULL_STACK_API_TOKEN, startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';
import { waitForIdleConsumers } from '../../helpers/wait-for-idle-consumers.js';

const sha = () => randomBytes(20).toString('hex');
const createRequests = (stack: FullStack) => stack.codegen.requests.filter((request) => request.method === 'POST');

async function triggerFor(stack: FullStack, headSha: string) {
  return waitFor(async () => {
    const triggers = await listTasks(stack.em(), { taskType: 'codegen_trigger' }, { limit: 100, offset: 0 });
    return triggers.rows.find((task) => task.headSha === headSha);
  }, { message: `codegen_trigger for ${headSha}` });
}

describe('analysis → Codegen run (GitHub and Codegen doubles)', function () {
  this.timeout(60_000);
  let stack: FullStack;
  beforeEach(async () => {
    stack = await startFullStack();
  });
  afterEach(async () => {
    expect(stack.github.invalidQueries, 'every GraphQL query validates against GitHub’s schema').to.deep.equal([]);
    await stack.dispose();
  });

  it('turns one failed check on a pull request into one run whose prompt names the check and quotes its annotations', async () => {
    const headSha = sha();
    mockFailedChecks(stack.github, {
      headSha,
      prNumber: 42,
      runs: [{ nodeId: 'CR_unit', name: 'unit tests', annotations: [{ path: 'src/cache.ts', line: 14, message: 'expected 2 to equal 3' }] }],
    });
    const answer = await postWebhook(stack.service.url, {
      event: 'check_run',
      payload: failedCheckRunPayload({ nodeId: 'CR_unit', name: 'unit tests', headSha, prNumber: 42 }),
      secret: TEST_SECRET,
    });
    expect(answer.status).to.equal(202);
    const trigger = await triggerFor(stack, headSha);
    const run = await waitFor(() => [...stack.codegen.runs.values()][0], { message: 'a Codegen run' });
    stack.codegen.completeRun(run.id);
    const done = await waitFor(async () => {
      const detail = await getTask(stack.em(), trigger.id);
      return detail?.task.status === 'succeeded' ? detail.task : undefined;
    }, { message: 'the trigger to succeed' });

    expect(createRequests(stack)).to.have.length(1);
    const prompt = (createRequests(stack)[0]!.body as { prompt: string }).prompt;
    expect(prompt).to.include('unit tests');
    expect(prompt).to.include('src/cache.ts');
    expect(prompt).to.include('expected 2 to equal 3');
    expect(done.codegenRunId).to.equal(run.id);
    expect(done.codegenWebUrl).to.match(/^https:\/\/codegen\.com\/agent\/trace\/\d+/);
    expect(done.purpose).to.equal('fix');
    expect(done.pullRequestNumber).to.equal(42);

    const analysis = (await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'check_failure_analysis' }, { limit: 10, offset: 0 })).rows[0]!;
    expect(analysis.taskType).to.equal('check_failure_analysis');
    expect(analysis.status).to.equal('succeeded');
    expect(analysis.triggerTaskId).to.equal(trigger.id);
    expect(analysis.reason).to.match(/unit tests.*fix run was requested/);

    // What an operator sees through the management API.
    const auth = { authorization: `Bearer ${FULL_STACK_API_TOKEN}` };
    const triggerView = (await (await fetch(`${stack.service.url}/api/v1/tasks/${trigger.id}`, { headers: auth })).json()) as Record<string, any>;
    expect(triggerView.status).to.equal('succeeded');
    expect(triggerView.codegen_run).to.deep.equal({ id: run.id, status: 'COMPLETE', web_url: done.codegenWebUrl });
    expect(triggerView.reason).to.match(/Codegen fix run \d+ started/);
    expect(triggerView.findings.prompt).to.include('expected 2 to equal 3');
    expect(triggerView.attempts.at(-1)).to.include({ outcome: 'succeeded' });
    const analysisView = (await (await fetch(`${stack.service.url}/api/v1/tasks/${analysis.id}`, { headers: auth })).json()) as Record<string, any>;
    expect(analysisView.findings.checks[0]).to.include({ name: 'unit tests' });
    expect(analysisView.findings.checks[0].annotations[0]).to.include({ path: 'src/cache.ts', startLine: 14 });
    expect(analysisView.reason).to.equal(analysis.reason);
    const deliveryView = (await (await fetch(`${stack.service.url}/api/v1/deliveries/${answer.deliveryId}`, { headers: auth })).json()) as Record<string, any>;
    expect(deliveryView.outcome).to.equal('processed');
    expect(deliveryView.tasks.map((task: { task_type: string }) => task.task_type).sort()).to.deep.equal(['check_failure_analysis', 'codegen_trigger']);

    // One run, counted once: created when Codegen accepted it, completed when it ended.
    const metrics = await (await fetch(`${stack.service.url}/metrics`)).text();
    expect(metrics).to.match(/^orchestrator_codegen_runs_total\{status="created"\} 1$/m);
    expect(metrics).to.match(/^orchestrator_codegen_runs_total\{status="completed"\} 1$/m);
  });

  it('coalesces five failures on one head SHA into one run that lists every failure', async () => {
    const headSha = sha();
    const runs = ['lint', 'unit', 'e2e', 'types', 'build'].map((name) => ({
      nodeId: `CR_${name}`,
      name,
      annotations: [{ path: `src/${name}.ts`, line: 1, message: `${name} broke` }],
    }));
    mockFailedChecks(stack.github, { headSha, prNumber: 7, runs });
    // The coalescing window (0.5 s here) is wall-clock time: on a busy machine an analysis can
    // finish after it closed and then, by design, miss the prompt. Codegen refuses creates until
    // all five analyses are linked to the trigger, so the run that starts is built from every
    // failure however fast the machine is.
    stack.codegen.failNext(500, 1_000_000);
    const answers = await Promise.all(
      runs.map((run) =>
        postWebhook(stack.service.url, {
          event: 'check_run',
          payload: failedCheckRunPayload({ nodeId: run.nodeId, name: run.name, headSha, prNumber: 7 }),
          secret: TEST_SECRET,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).to.deep.equal([202, 202, 202, 202, 202]);
    const trigger = await triggerFor(stack, headSha);
    await waitFor(async () => {
      const analyses = await listTasks(stack.em(), { taskType: 'check_failure_analysis' }, { limit: 10, offset: 0 });
      return analyses.rows.filter((task) => task.triggerTaskId === trigger.id && task.status === 'succeeded').length === 5;
    }, { message: 'five analyses linked to the trigger' });
    stack.codegen.clearFailures();
    const run = await waitFor(() => [...stack.codegen.runs.values()][0], { timeoutMs: 40_000, message: 'the run to start' });
    stack.codegen.completeRun(run.id);
    await waitFor(async () => (await getTask(stack.em(), trigger.id))?.task.status === 'succeeded', { message: 'the trigger to succeed' });
    await waitForIdleConsumers(stack.service);
    expect(stack.codegen.runs.size).to.equal(1);
    for (const failed of runs) expect(run.prompt).to.include(`${failed.name} broke`);
    const analyses = await listTasks(stack.em(), { taskType: 'check_failure_analysis' }, { limit: 10, offset: 0 });
    expect(analyses.total).to.equal(5);
    expect(new Set(analyses.rows.map((task) => task.triggerTaskId))).to.deep.equal(new Set([trigger.id]));
  });

  it('starts no new run when the same deliveries are replayed', async () => {
    const headSha = sha();
    mockFailedChecks(stack.github, { headSha, prNumber: 9, runs: [{ nodeId: 'CR_x', name: 'x', annotations: [] }] });
    const payload = failedCheckRunPayload({ nodeId: 'CR_x', name: 'x', headSha, prNumber: 9 });
    const first = await postWebhook(stack.service.url, { event: 'check_run', payload, secret: TEST_SECRET });
    const trigger = await triggerFor(stack, headSha);
    const run = await waitFor(() => [...stack.codegen.runs.values()][0]);
    stack.codegen.completeRun(run.id);
    await waitFor(async () => (await getTask(stack.em(), trigger.id))?.task.status === 'succeeded');

    // GitHub redelivers the same delivery id (beyond JetStream's window it is a new message), and an operator replays it.
    const again = await postWebhook(stack.service.url, { event: 'check_run', payload, secret: TEST_SECRET, deliveryId: first.deliveryId });
    expect(again.body!.result.status).to.equal('duplicate');
    const replay = await stack.service.managementActions.replayDelivery(first.deliveryId);
    expect(replay.delivery_id).to.equal(first.deliveryId);
    // The replay is stored once replayDelivery resolves; once every consumer is idle it has been handled.
    await waitForIdleConsumers(stack.service);
    expect(createRequests(stack)).to.have.length(1);
    // One analysis for the delivery, and the one trigger it created.
    const tasks = await listTasks(stack.em(), { deliveryId: first.deliveryId }, { limit: 10, offset: 0 });
    expect(tasks.rows.map((task) => task.taskType).sort()).to.deep.equal(['check_failure_analysis', 'codegen_trigger']);
  });

  it('fails the task with the reason when Codegen answers 402, without retrying', async () => {
    const headSha = sha();
    mockFailedChecks(stack.github, { headSha, prNumber: 11, runs: [{ nodeId: 'CR_p', name: 'p', annotations: [] }] });
    stack.codegen.failNext(402, 1);
    await postWebhook(stack.service.url, {
      event: 'check_run',
      payload: failedCheckRunPayload({ nodeId: 'CR_p', name: 'p', headSha, prNumber: 11 }),
      secret: TEST_SECRET,
    });
    const trigger = await triggerFor(stack, headSha);
    const failed = await waitFor(async () => {
      const detail = await getTask(stack.em(), trigger.id);
      return detail?.task.status === 'failed' ? detail : undefined;
    });
    expect(failed.task.reason).to.match(/402/);
    expect(failed.task.reason).to.match(/allowance/);
    expect(failed.attempts).to.have.length(1);
    expect(createRequests(stack)).to.have.length(1);

    // Once topped up, an operator retries the task through the API: a run starts, deliberately.
    const retry = await fetch(`${stack.service.url}/api/v1/tasks/${trigger.id}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${FULL_STACK_API_TOKEN}` },
    });
    expect(retry.status).to.equal(202);
    const started = await waitFor(async () => (await getTask(stack.em(), trigger.id))?.task.codegenRunId ?? undefined, { message: 'the retried run' });
    expect(stack.codegen.runs.has(started)).to.equal(true);
    expect(createRequests(stack)).to.have.length(2);
  });
});
