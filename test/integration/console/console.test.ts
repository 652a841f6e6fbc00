import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CONSOLE_CSP } from '../../../src/console/console-security-headers.js';
import { claimRecoveryRequest, finishRecoveryRun, listRecoveryRuns, settleRecoveryRequest, startRecoveryRun } from '../../../src/effects/db/recovery-store.js';
import { getTask, listTasks } from '../../../src/effects/db/task-store.js';
import { buildConsole } from '../../../scripts/build-console.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { githubGraphqlError } from '../../helpers/github-graphql-double.js';
import { launchHeadlessChromium, type HeadlessChromium } from '../../helpers/headless-chromium.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { FULL_STACK_API_TOKEN, startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

/** Where each run writes its screenshots (git-ignored); the README's are copied to docs/console. */
const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');
// Generous: the console polls every 5 s and the machine is shared.
const UI_TIMEOUT = 40_000;
const sha = () => randomBytes(20).toString('hex');

describe('web console (/console) in headless Chromium', function () {
  this.timeout(180_000);
  let stack: FullStack;
  let chromium: HeadlessChromium;
  let url: string;

  before(async () => {
    await buildConsole();
    await mkdir(SCREENSHOTS, { recursive: true });
    stack = await startFullStack();
    url = stack.service.url;
    chromium = await launchHeadlessChromium();
  });
  after(async () => {
    await chromium?.close();
    await stack?.dispose();
  });

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** A new tab, signed in with the token through the form. */
  async function signedInPage(hash = ''): Promise<Page> {
    const page = await chromium.context.newPage();
    await page.goto(`${url}/console`);
    await page.fill('#token', FULL_STACK_API_TOKEN);
    await page.click('#sign-in button[type=submit]');
    await page.locator('header nav').waitFor({ timeout: UI_TIMEOUT });
    if (hash) await page.goto(`${url}/console${hash}`);
    return page;
  }

  /** Confirms the dialog an action opened, and returns the notice it then shows. */
  async function confirmAndReadNotice(page: Page): Promise<string> {
    const dialog = page.locator('dialog.confirm');
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await dialog.locator('button[value=confirm]').click();
    const notice = page.locator('.notice > span');
    await notice.waitFor({ timeout: UI_TIMEOUT });
    return notice.innerText();
  }

  /** A real `pull_request opened` example on a fresh head, which the GitHub double reports as that PR's head. */
  const pullRequestPayload = () => {
    const payload = examplePayload('pull_request', (p) => p.action === 'opened') as Record<string, any>;
    payload.pull_request.draft = false;
    payload.pull_request.head.sha = sha();
    payload.pull_request.updated_at = new Date().toISOString();
    stack.github.setMocks({ PullRequest: () => ({ headRefOid: payload.pull_request.head.sha, isDraft: false, state: 'OPEN' }) });
    return payload;
  };

  it('serves nothing but the sign-in page without the token, with the CSP on every console response', async () => {
    const page = await fetch(`${url}/console`);
    const html = await page.text();
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
    expect(CONSOLE_CSP).to.include("script-src 'self'").and.include("default-src 'none'").and.not.include('unsafe-inline');
    expect(html).to.include('id="sign-in"').and.include('src="/console/app.js"');
    expect(html).not.to.match(/<script(?![^>]*src="\/console\/app\.js")/);
    for (const [path, status] of [['/console/app.js', 200], ['/console/app.css', 200], ['/console/deliveries', 404], ['/console/app.ts', 404]] as const) {
      const answer = await fetch(`${url}${path}`);
      expect(answer.status, path).to.equal(status);
      expect(answer.headers.get('content-security-policy'), path).to.equal(CONSOLE_CSP);
      expect(answer.headers.get('x-content-type-options'), path).to.equal('nosniff');
    }
    // Data goes into the page as text only: the bundle has no way to parse markup.
    const bundle = await (await fetch(`${url}/console/app.js`)).text();
    expect(bundle).not.to.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
    for (const path of ['/api/v1/overview', '/api/v1/deliveries', '/api/v1/tasks', '/api/v1/dead-letters', '/api/v1/recoveries']) {
      expect((await fetch(`${url}${path}`)).status, path).to.equal(401);
    }

    const tab = await chromium.context.newPage();
    const response = await tab.goto(`${url}/console#/deliveries`);
    expect(response!.headers()['content-security-policy']).to.equal(CONSOLE_CSP);
    await tab.locator('#token').waitFor();
    expect(await tab.locator('header nav').count()).to.equal(0);
    expect(await tab.locator('main').innerText()).to.include('Sign in');
    await shoot(tab, 'sign-in');
    await tab.close();
  });

  it('refuses a wrong token and keeps the right one for this tab only', async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${url}/console`);
    await page.fill('#token', 'not-the-token-at-all-0000');
    await page.click('#sign-in button[type=submit]');
    await page.locator('#sign-in-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await page.locator('#sign-in-error').innerText()).to.include('refused');
    expect(await page.evaluate('sessionStorage.length + localStorage.length')).to.equal(0);
    expect(await page.locator('header nav').count()).to.equal(0);

    await page.fill('#token', FULL_STACK_API_TOKEN);
    await page.click('#sign-in button[type=submit]');
    await page.locator('header nav').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('header nav a').allInnerTexts()).to.deep.equal(['Overview', 'Deliveries', 'Tasks', 'Dead letters', 'Recovery']);
    expect(await page.evaluate('localStorage.length')).to.equal(0);
    expect(await page.evaluate('Object.values(sessionStorage)')).to.deep.equal([FULL_STACK_API_TOKEN]);
    // A reload keeps the session; signing out forgets the token.
    await page.reload();
    await page.locator('header nav').waitFor({ timeout: UI_TIMEOUT });
    await page.click('header button:has-text("Sign out")');
    await page.locator('#token').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.evaluate('sessionStorage.length')).to.equal(0);
    await page.close();
  });

  it('shows a delivery sent by the test, opens it, and shows its task with the reason', async () => {
    const page = await signedInPage('#/deliveries');
    const sent = await postWebhook(url, { event: 'pull_request', payload: pullRequestPayload(), secret: TEST_SECRET });
    expect(sent.status).to.equal(202);
    const link = page.locator(`a:text-is("${sent.deliveryId}")`);
    await link.waitFor({ timeout: UI_TIMEOUT });
    await shoot(page, 'deliveries');

    // The filters go to the API as they are: narrowing, widening, and the API's word on bad input.
    await page.fill('#filter-event', 'push');
    await page.click('form.filters button[type=submit]');
    await page.locator('.results .empty').waitFor({ timeout: UI_TIMEOUT });
    expect(page.url()).to.include('#/deliveries?event=push');
    expect(await link.count()).to.equal(0);
    await page.fill('#filter-event', 'pull_request');
    await page.fill('#filter-action', 'opened');
    await page.selectOption('#filter-outcome', 'processed');
    await page.click('form.filters button[type=submit]');
    await link.waitFor({ timeout: UI_TIMEOUT });
    await page.fill('#filter-repository', 'not a repository');
    await page.click('form.filters button[type=submit]');
    await page.locator('[role=alert]', { hasText: 'repository: must be owner/name' }).waitFor({ timeout: UI_TIMEOUT });
    await page.goto(`${url}/console#/deliveries`);
    await link.click();

    const taskRow = page.locator('.tasks tbody tr', { hasText: 'pull_request_analysis' });
    await taskRow.locator('.badge:text-is("succeeded")').waitFor({ timeout: UI_TIMEOUT });
    const [task] = (await listTasks(stack.em(), { deliveryId: sent.deliveryId }, { limit: 5, offset: 0 })).rows;
    expect(task!.reason).to.be.a('string').and.not.equal('');
    expect(await taskRow.locator('.reason').innerText()).to.equal(task!.reason);
    expect(await page.locator('.facts').first().innerText()).to.include('JetStream sequence');
    await page.locator('.json-tree').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.panel', { hasText: 'JetStream message' }).innerText()).to.include('X-GitHub-Delivery').and.include(sent.deliveryId);
    await shoot(page, 'delivery');

    await taskRow.locator('a').click();
    await page.locator('.reason-panel').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.reason-panel .reason').innerText()).to.equal(task!.reason);
    expect(await page.locator('.panel', { hasText: 'Attempts' }).locator('tbody tr').count()).to.equal(task!.attemptCount);
    await shoot(page, 'task');

    await page.goto(`${url}/console#/tasks?task_type=pull_request_analysis`);
    await page.locator(`a[href="#/tasks/${task!.id}"]`).waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('#filter-task_type').inputValue()).to.equal('pull_request_analysis');
    await shoot(page, 'tasks');
    await page.close();
  });

  it('replays a delivery whose analysis died and shows its new outcome; redrives a dead letter', async () => {
    stack.github.setMocks({}, {
      Query: {
        node: () => {
          throw githubGraphqlError('NOT_FOUND', 'Could not resolve to a node with the global id');
        },
      },
    });
    const headSha = sha();
    const runs = [{ nodeId: 'CR_console_a', name: 'lint' }, { nodeId: 'CR_console_b', name: 'unit' }, { nodeId: 'CR_console_c', name: 'e2e' }];
    const sent = [];
    for (const run of runs) {
      sent.push(await postWebhook(url, { event: 'check_run', payload: failedCheckRunPayload({ ...run, headSha, prNumber: 7 }), secret: TEST_SECRET }));
    }
    const dead = await Promise.all(
      sent.map((answer) =>
        waitFor(async () => {
          const { rows } = await listTasks(stack.em(), { deliveryId: answer.deliveryId, taskType: 'check_failure_analysis' }, { limit: 1, offset: 0 });
          return rows[0]?.status === 'dead' ? rows[0] : undefined;
        }, { timeoutMs: 60_000, message: 'the analysis to die' }),
      ),
    );
    const letters = await waitFor(async () => {
      const page = await stack.service.managementActions.listDeadLetters({ limit: 50, offset: 0 });
      return dead.every((task) => page.dead_letters.some((letter) => letter.task_id === task.id)) ? page.dead_letters : undefined;
    }, { message: 'both dead letters' });
    mockFailedChecks(stack.github, { headSha, prNumber: 7, runs: runs.map((run) => ({ ...run, annotations: [] })) });

    // Replay the first delivery: asked first (Cancel does nothing), then the outcome moves on screen.
    const page = await signedInPage(`#/deliveries/${sent[0]!.deliveryId}`);
    const taskRow = page.locator('.tasks tbody tr', { hasText: 'check_failure_analysis' });
    await taskRow.locator('.badge:text-is("dead")').waitFor({ timeout: UI_TIMEOUT });
    expect(await taskRow.locator('.reason').innerText()).to.match(/permanent_failure/);
    // By keyboard: Enter on Replay asks first; Escape and Cancel both leave everything as it was.
    await page.focus('button[data-action=replay]');
    await page.keyboard.press('Enter');
    await page.locator('dialog.confirm').waitFor();
    expect(await page.locator('dialog.confirm').innerText()).to.include(sent[0]!.deliveryId);
    expect(await page.evaluate('document.activeElement.value')).to.equal('cancel');
    await page.keyboard.press('Escape');
    await page.locator('dialog.confirm').waitFor({ state: 'detached' });
    await page.click('button[data-action=replay]');
    await page.click('dialog.confirm button[value=cancel]');
    expect(await page.locator('dialog.confirm').count()).to.equal(0);
    expect(await page.locator('.notice').count()).to.equal(0);
    expect((await getTask(stack.em(), dead[0]!.id))!.task.status).to.equal('dead');
    await page.click('button[data-action=replay]');
    expect(await confirmAndReadNotice(page)).to.match(/Replay queued: \S+ sequence \d+/);
    await taskRow.locator('.badge:text-is("succeeded")').waitFor({ timeout: UI_TIMEOUT });
    expect((await getTask(stack.em(), dead[0]!.id))!.task.status).to.equal('succeeded');

    // Redrive the second one's dead letter, selected in the list.
    const letter = letters.find((candidate) => candidate.task_id === dead[1]!.id)!;
    await page.goto(`${url}/console#/dead-letters`);
    const box = page.locator(`input[type=checkbox][data-id="${letter.id}"]`);
    await box.waitFor({ timeout: UI_TIMEOUT });
    const row = page.locator('tbody tr', { has: box });
    expect(await row.innerText()).to.include(letter.reason).and.include('actor_analysis');
    await shoot(page, 'dead-letters');
    await box.check();
    expect(await page.locator('button[data-action=redrive-selected]').innerText()).to.equal('Redrive selected (1)');
    await page.click('button[data-action=redrive-selected]');
    expect(await confirmAndReadNotice(page)).to.equal('Redriven 1 of 1 dead letter.');
    await page.locator(`input[data-id="${letter.id}"]`).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitFor(async () => (await getTask(stack.em(), dead[1]!.id))?.task.status === 'succeeded', { timeoutMs: 60_000, message: 'the redriven task to succeed' });
    await page.goto(`${url}/console#/tasks/${dead[1]!.id}`);
    await page.locator('.title-row .badge:text-is("succeeded")').waitFor({ timeout: UI_TIMEOUT });

    // Retry the third one from its task page.
    await page.goto(`${url}/console#/tasks/${dead[2]!.id}`);
    await page.locator('.title-row .badge:text-is("dead")').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.attempts tbody').innerText()).to.match(/permanent_failure/);
    await page.click('button[data-action=retry]');
    expect(await confirmAndReadNotice(page)).to.match(/^Task re-queued: it is now queued\.$/);
    await page.locator('.title-row .badge:text-is("succeeded")').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('button[data-action=retry]').isDisabled()).to.equal(true);

    // The failed checks asked for a fix run: its task shows the Codegen run, its link and result.
    const trigger = await waitFor(async () => {
      const { rows } = await listTasks(stack.em(), { taskType: 'codegen_trigger' }, { limit: 50, offset: 0 });
      return rows.find((task) => task.headSha === headSha && task.codegenRunId !== null);
    }, { timeoutMs: 60_000, message: 'a codegen_trigger with its run' });
    stack.codegen.completeRun(trigger.codegenRunId!);
    const done = await waitFor(async () => {
      const detail = await getTask(stack.em(), trigger.id);
      return detail?.task.status === 'succeeded' ? detail.task : undefined;
    }, { timeoutMs: 60_000, message: 'the fix run to complete' });
    await page.goto(`${url}/console#/tasks/${trigger.id}`);
    const run = page.locator('.panel', { hasText: 'Codegen run' });
    await run.waitFor({ timeout: UI_TIMEOUT });
    expect(await run.locator('a').getAttribute('href')).to.equal(done.codegenWebUrl);
    expect(await run.locator('a').getAttribute('rel')).to.equal('noopener noreferrer');
    expect(await run.innerText()).to.include(`#${done.codegenRunId}`).and.include('COMPLETE').and.include(done.codegenResult!);
    await shoot(page, 'codegen-task');
    await page.close();
  });

  it('moves the overview while deliveries flow', async () => {
    const page = await signedInPage('#/overview');
    const deliveries = page.locator('[data-metric=deliveries] .value');
    await deliveries.waitFor({ timeout: UI_TIMEOUT });
    const before = Number(await deliveries.innerText());
    const pushes = await Promise.all(
      [1, 2, 3].map(() => postWebhook(url, { event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 }, secret: TEST_SECRET })),
    );
    expect(pushes.map((answer) => answer.status)).to.deep.equal([202, 202, 202]);
    // The page polls every 5 s; the card must show the new deliveries without a reload.
    await waitFor(async () => Number(await deliveries.innerText()) >= before + 3, { timeoutMs: UI_TIMEOUT, intervalMs: 250, message: 'the overview to count the new deliveries' });
    await page.locator('.panel', { hasText: 'Events by type and outcome' }).locator('td a:text-is("ping")').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.panel', { hasText: 'Circuit breakers' }).innerText()).to.include('github').and.include('closed');
    expect(await page.locator('.panel', { hasText: 'Queue depth per consumer' }).innerText()).to.include('actor_pull_request');
    await shoot(page, 'overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, 'overview-phone');
    await page.close();
  });

  it('lists the recovery runs with their redeliveries, and shows why a run cannot be started here', async () => {
    // This stack has no GitHub App credentials and no RECOVERY_HOOKS: nothing starts a run by itself.
    expect((await listRecoveryRuns(stack.em(), { limit: 1, offset: 0 })).total).to.equal(0);
    const page = await signedInPage('#/recovery');
    await page.locator('.results .empty').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.results .empty').innerText()).to.include('recovery is not configured');

    // A finished run with one redelivery GitHub refused, written as the recovery job writes it;
    // the view polls, so it appears without a reload.
    const em = stack.em();
    const run = await startRecoveryRun(em, { trigger: 'manual', since: new Date(Date.now() - 3_600_000) });
    const guid = randomUUID();
    const refusal = 'GitHub answered 422: <b onmouseover="window.__consoleXss=3">Validation Failed</b>';
    expect(await claimRecoveryRequest(em, { guid, hookDeliveryId: 9_000_001, hook: 'app', event: 'pull_request', action: 'opened', runId: run.id, outcome: 'requested', failedStatusCode: 502 })).to.equal(true);
    await settleRecoveryRequest(em, guid, { outcome: 'failed', error: refusal });
    await finishRecoveryRun(em, run.id, { status: 'completed', scanned: 12, failed: 2, alreadyAccepted: 1, requested: 1, resumeAt: null, error: null });
    const requests = page.locator(`details[data-run="${run.id}"]`);
    await requests.waitFor({ timeout: UI_TIMEOUT });
    const row = page.locator('tr', { has: requests });
    expect(await row.locator('.badge').first().innerText()).to.equal('completed');
    expect(await row.innerText()).to.include('manual').and.include('12 attempts scanned').and.include('2 failed, 1 accepted after all').and.include('1 redeliveries requested');
    expect(await page.locator('h1').innerText()).to.equal('Recovery runs (1)');
    await requests.locator('summary').press('Enter');
    const request = requests.locator(`li[data-guid="${guid}"]`);
    await request.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    expect(await request.innerText()).to.include('pull_request.opened').and.include('failed').and.include(refusal).and.include('failed with HTTP 502').and.include('app #9000001');
    expect(await requests.locator('b').count()).to.equal(0);
    await shoot(page, 'recovery');

    // Start one, by keyboard: it asks first (Escape leaves everything as it was), then shows the API's 409 reason.
    await page.fill('#recovery-since', new Date(Date.now() - 2 * 3_600_000).toISOString().slice(0, 19));
    await page.focus('button[data-action=start-recovery]');
    await page.keyboard.press('Enter');
    await page.locator('dialog.confirm').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('dialog.confirm').innerText()).to.include('Start recovery run').and.include('since');
    await page.keyboard.press('Escape');
    await page.locator('dialog.confirm').waitFor({ state: 'detached' });
    expect(await page.locator('.notice').count()).to.equal(0);
    await page.click('button[data-action=start-recovery]');
    expect(await confirmAndReadNotice(page)).to.match(/^Start recovery run failed: missed-delivery recovery is not configured: it needs GitHub App credentials/);
    expect((await listRecoveryRuns(stack.em(), { limit: 5, offset: 0 })).total).to.equal(1);
    expect(await page.evaluate('window.__consoleXss')).to.equal(undefined);
    await shoot(page, 'recovery-not-configured');
    await page.close();
  });

  it('shows a payload holding HTML and script as text and runs none of it', async () => {
    const hostile = '<img src=x onerror="window.__consoleXss=1"><script>window.__consoleXss=2</script>';
    const payload = examplePayload('issues', (p) => p.action === 'opened') as Record<string, any>;
    payload.issue.title = hostile;
    payload.note = hostile;
    const sent = await postWebhook(url, { event: 'issues', payload, secret: TEST_SECRET });
    const page = await signedInPage(`#/deliveries/${sent.deliveryId}`);
    const tree = page.locator('.json-tree');
    await tree.waitFor({ timeout: UI_TIMEOUT });
    await page.locator('summary:has-text("Pretty-printed text")').click();
    await page.locator('pre.raw').waitFor();
    expect(await tree.innerText()).to.include(JSON.stringify(hostile));
    expect(await page.locator('pre.raw').innerText()).to.include(JSON.stringify(hostile));
    // Browser-side code as text: the test's TypeScript program knows no DOM.
    const { flag, images, scripts } = (await page.evaluate(`({
      flag: window.__consoleXss,
      images: document.querySelectorAll('img').length,
      scripts: [...document.scripts].map((script) => script.getAttribute('src')),
    })`)) as { flag: unknown; images: number; scripts: Array<string | null> };
    expect(flag).to.equal(undefined);
    expect(images).to.equal(0);
    expect(scripts).to.deep.equal(['/console/app.js']);
  });

  it('fetches a large (claim-checked) payload only when asked', async () => {
    const payload = examplePayload('issues', (p) => p.action === 'opened') as Record<string, any>;
    // Over the NATS server's 1 MB max_payload: the payload goes to the object store.
    payload.issue.body = 'x'.repeat(1_500_000);
    const sent = await postWebhook(url, { event: 'issues', payload, secret: TEST_SECRET });
    expect(sent.status).to.equal(202);
    const page = await signedInPage(`#/deliveries/${sent.deliveryId}`);
    const load = page.locator('button[data-action=load-payload]');
    await load.waitFor({ timeout: UI_TIMEOUT });
    expect(await load.innerText()).to.match(/^Load payload \(1\.\d MiB\)$/);
    expect(await page.locator('.panel', { hasText: 'JetStream message' }).innerText()).to.include('claim check');
    expect(await page.locator('.json-tree').count()).to.equal(0);
    await load.click();
    await page.locator('.json-tree').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('.json-tree').innerText()).to.include('action: "opened"');
    await page.close();
  });

  describe('with API_TOKEN unset', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService({ ACTORS_ENABLED: 'false' });
    });
    after(async () => {
      await service?.dispose();
    });

    it('says the management API is disabled and how to enable it, and offers no sign-in', async () => {
      const answer = await fetch(`${service.url}/console`);
      const html = await answer.text();
      expect(answer.headers.get('content-security-policy')).to.equal(CONSOLE_CSP);
      expect(html).to.include('management API is disabled').and.include('API_TOKEN');
      expect(html).not.to.include('id="sign-in"');
      expect(html).not.to.include('<script');
      const page = await chromium.context.newPage();
      await page.goto(`${service.url}/console`);
      expect(await page.locator('main').innerText()).to.include('Set API_TOKEN');
      await shoot(page, 'api-disabled');
      await page.close();
    });
  });
});
