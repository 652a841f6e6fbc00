import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { realTool } from '../../helpers/real-tool.js';
import { postWebhook, signedWebhook } from '../../helpers/signed-webhook.js';
import { startFullStack, type FullStack } from '../../helpers/start-full-stack.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

type Doc = Record<string, any>;
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface AlertingRule {
  name: string;
  query: string;
  state: 'inactive' | 'pending' | 'firing';
  health: string;
  lastError?: string;
  alerts: Array<{ labels: Record<string, string>; state: string }>;
}

const JOB = 'webhook-orchestrator';
/** Grafana's range variables, as a dashboard opened on the last few minutes would set them. */
const GRAFANA_RANGE = { __rate_interval: '2m', __range: '5m', __interval: '15s' };
/** The dashboards' fallback for "no series yet": a panel must show data without it. */
const FALLBACK = /\s+or\s+on\s*\(\s*\)\s*vector\(0\)\s*$/;

/** Alerts that must be active (pending: their `for` has not passed yet) after this traffic, with the labels that say why. */
const EXPECTED_ACTIVE: Record<string, Record<string, string>> = {
  // The fresh install (no GitHub credentials) fails every analysis.
  OrchestratorProcessingErrorRateHigh: { actor: 'analysis' },
  // Bad signatures and malformed requests are more than 5% of the requests.
  OrchestratorWebhookRejectionRateHigh: { job: JOB },
};
/** Alerts on the machine's load (CPU, event loop): noisy on a shared test machine, so only their evaluation is checked. */
const LOAD_DEPENDENT = new Set(['OrchestratorCpuSaturated', 'OrchestratorEventLoopLagHigh']);
/**
 * Alerts on the process's memory: both services here run inside the test runner, whose resident memory
 * is the whole suite's (hundreds of MiB late in `npm test`), not a service's. Their thresholds are
 * checked by `promtool test rules` (ops/prometheus/alerts.test.yml) instead.
 */
const RUNNER_PROCESS_DEPENDENT = new Set(['OrchestratorMemoryHigh']);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a real Prometheus scraping the service under signed deliveries', function () {
  this.timeout(240_000);
  let promtool: string;
  let prometheusBinary: string;
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let fresh: TestService;
  let configured: FullStack;
  let prometheusLog = '';

  /** An instant query, at `atSeconds` (Unix time) when given, else now. */
  const query = async (expr: string, atSeconds?: number): Promise<Sample[]> => {
    const params = new URLSearchParams({ query: expr, ...(atSeconds === undefined ? {} : { time: String(atSeconds) }) });
    const response = await fetch(`${prometheusUrl}/api/v1/query?${params}`);
    const body = (await response.json()) as Doc;
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    if (body.data.resultType !== 'vector') throw new Error(`${expr}: a ${body.data.resultType}, not an instant vector`);
    return body.data.result as Sample[];
  };
  const alertingRules = async (): Promise<AlertingRule[]> => {
    const body = (await (await fetch(`${prometheusUrl}/api/v1/rules?type=alert`)).json()) as Doc;
    return (body.data.groups as Doc[]).flatMap((group) => group.rules as AlertingRule[]);
  };

  before(async function () {
    promtool = realTool('promtool', this);
    prometheusBinary = realTool('prometheus', this);
    dir = mkdtempSync(path.join(tmpdir(), 'prometheus-live-'));
    // A fresh install: no GitHub credentials, so every analysis fails (and must be seen failing).
    fresh = await startTestService();
    // A configured install: GitHub (and Codegen) doubles answer, so the rate-limit gauge has a value.
    configured = await startFullStack();
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const target = (url: string) => new URL(url).host;
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [path.resolve('ops/prometheus/alerts.yml')],
        scrape_configs: [
          {
            job_name: JOB,
            static_configs: [
              { targets: [target(fresh.url)], labels: { install: 'fresh' } },
              { targets: [target(configured.service.url)], labels: { install: 'configured' } },
            ],
          },
        ],
      }),
    );
    prometheus = spawn(
      prometheusBinary,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    await waitFor(async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok, {
      timeoutMs: 60_000,
      message: 'Prometheus to be ready',
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${prometheusLog}`);
    });
    // Both targets scraped once before any traffic: every pre-created series has its 0.
    await waitFor(async () => (await query(`up{job="${JOB}"} == 1`)).length === 2, { timeoutMs: 30_000, message: 'both targets up' });
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await fresh?.dispose();
    await configured?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows data from real series in every dashboard panel and the expected state of every alert', async () => {
    const headSha = randomBytes(20).toString('hex');
    mockFailedChecks(configured.github, {
      headSha,
      prNumber: 12,
      runs: [{ nodeId: 'CR_build', name: 'build', annotations: [{ path: 'src/b.ts', line: 9, message: 'type error' }] }],
    });
    const deliveries = [
      { event: 'check_run', payload: failedCheckRunPayload({ nodeId: 'CR_build', name: 'build', headSha, prNumber: 12 }) },
      { event: 'pull_request', payload: examplePayload('pull_request', (p) => p.action === 'opened') },
      { event: 'push', payload: examplePayload('push') },
      { event: 'issues', payload: examplePayload('issues', (p) => p.action === 'opened') },
    ];
    for (const url of [fresh.url, configured.service.url]) {
      for (const delivery of deliveries) {
        const answer = await postWebhook(url, { ...delivery, secret: TEST_SECRET });
        expect(answer.status, delivery.event).to.equal(202);
        // GitHub's redelivery of the same delivery id: a duplicate.
        expect((await postWebhook(url, { ...delivery, secret: TEST_SECRET, deliveryId: answer.deliveryId })).status).to.equal(202);
      }
      // A rotated secret on GitHub's side, and a request without an event header.
      for (const delivery of deliveries) expect((await postWebhook(url, { ...delivery, secret: 'not-the-secret' })).status).to.equal(401);
      const malformed = signedWebhook({ event: 'push', payload: examplePayload('push'), secret: TEST_SECRET });
      delete malformed.headers['x-github-event'];
      expect((await fetch(`${url}/api/v1/webhooks/github`, { method: 'POST', headers: malformed.headers, body: malformed.body })).status).to.equal(400);
    }

    // The work has been done and scraped: analyses failed on the fresh install, succeeded with GitHub, the backlog sampled.
    await waitFor(async () => (await query(`orchestrator_events_processed_total{install="fresh",actor="analysis",outcome="failed"} > 0`)).length > 0, {
      timeoutMs: 60_000,
      message: 'failed analyses on the fresh install',
    });
    await waitFor(async () => (await query(`orchestrator_events_processed_total{install="configured",actor="analysis",outcome="processed"} > 0`)).length > 0, {
      timeoutMs: 60_000,
      message: 'analyses done with GitHub on the configured install',
    });
    await waitFor(async () => (await query('orchestrator_consumer_pending_messages')).length > 0, { timeoutMs: 30_000, message: 'the backlog sampled' });

    // The rate-limit gauge exists only where GitHub has answered.
    expect((await query('orchestrator_github_rate_limit_remaining')).map((sample) => sample.metric.install)).to.deep.equal(['configured']);

    // Every panel: each target's own expression, without its `or vector(0)` fallback, returns real samples.
    const dashboards = readdirSync('ops/grafana/dashboards').map((file) => JSON.parse(readFileSync(path.join('ops/grafana/dashboards', file), 'utf8')) as Doc);
    let evaluated = 0;
    const empty: string[] = [];
    for (const dashboard of dashboards) {
      for (const panel of (dashboard.panels as Doc[]).filter((candidate) => candidate.type !== 'row')) {
        for (const target of panel.targets as Doc[]) {
          let expr = (target.expr as string).replace(FALLBACK, '');
          for (const [name, value] of Object.entries(GRAFANA_RANGE)) expr = expr.replaceAll(`$${name}`, value);
          // The panels' 2-minute rate windows are widened here only, so an increase made early in the
          // traffic is still inside the window however long the waits above took on a busy machine.
          const samples = await query(expr.replaceAll('[2m]', '[15m]'));
          evaluated += 1;
          // A number, not only NaN (a ratio or quantile over nothing).
          if (!samples.some((sample) => Number.isFinite(Number(sample.value[1])))) empty.push(`${dashboard.title} › ${panel.title}: ${expr} → ${JSON.stringify(samples)}`);
        }
      }
    }
    expect(empty, 'panels without data').to.deep.equal([]);
    expect(evaluated).to.be.greaterThan(40);

    // Every alert rule: evaluated without error by Prometheus itself, active exactly where expected.
    const rules = await waitFor(async () => {
      const found = await alertingRules();
      return Object.keys(EXPECTED_ACTIVE).every((name) => found.find((rule) => rule.name === name)?.state !== 'inactive') ? found : undefined;
    }, { timeoutMs: 60_000, message: `${Object.keys(EXPECTED_ACTIVE).join(' and ')} to be active` });
    const alertNames = (parse(readFileSync('ops/prometheus/alerts.yml', 'utf8')) as Doc).groups.flatMap((group: Doc) => group.rules.map((rule: Doc) => rule.alert));
    expect(rules.map((rule) => rule.name).sort()).to.deep.equal([...alertNames].sort());
    for (const rule of rules) {
      expect(rule.health, `${rule.name}: ${rule.lastError}`).to.equal('ok');
      await query(rule.query); // the expression also evaluates through the query API
      const expected = EXPECTED_ACTIVE[rule.name];
      if (expected) {
        expect(rule.state, rule.name).to.be.oneOf(['pending', 'firing']);
        for (const alert of rule.alerts) expect(alert.labels, rule.name).to.include(expected);
      } else if (LOAD_DEPENDENT.has(rule.name) || RUNNER_PROCESS_DEPENDENT.has(rule.name)) {
        expect(rule.state, rule.name).to.be.oneOf(['inactive', 'pending']);
      } else {
        expect(rule.state, `${rule.name}: ${JSON.stringify(rule.alerts.map((alert) => alert.labels))}`).to.equal('inactive');
      }
    }

    // The exposition itself, after this traffic, as promtool reads it.
    for (const url of [fresh.url, configured.service.url]) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const check = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(check.status, `promtool check metrics on ${url}/metrics:\n${check.stdout}${check.stderr}`).to.equal(0);
    }
  });
});
