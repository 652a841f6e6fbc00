import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { buildOrchestrator, runOrchestrator } from '../../helpers/orchestrator-binary.js';
import { startGithubRestDouble, type GithubRestDouble } from '../../helpers/github-rest-double.js';
import { startTestService, type TestService } from '../../helpers/start-test-service.js';
import { freePort } from '../../helpers/tcp.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = 'recovery-api-token-0123456789';
const APP_ID = '777';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('GET and POST /api/v1/recoveries, and orchestrator recover', function () {
  this.timeout(60_000);
  let github: GithubRestDouble;
  let service: TestService;
  const call = async (method: string, path: string) => {
    const response = await fetch(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  before(async function () {
    this.timeout(240_000);
    buildOrchestrator();
    github = await startGithubRestDouble({ app: { appId: APP_ID, privateKeyPem: privateKey } });
    service = await startTestService(
      { API_TOKEN: TOKEN, GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: privateKey, GITHUB_GRAPHQL_URL: github.graphqlUrl },
      // No scheduled run during the test: runs start by hand.
      { recovery: { firstRunDelayMs: 3_600_000 } },
    );
  });
  after(async () => {
    await service?.dispose();
    await github?.close();
  });

  it('starts a run by hand with `since`, records it with its redelivery request, and counts it in the metrics', async () => {
    const missed = github.addAttempt('/app/hook', { guid: randomUUID(), status_code: 0, status: 'failed to connect', event: 'pull_request' });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const started = await call('POST', `/api/v1/recoveries?since=${encodeURIComponent(since)}`);
    expect(started.status).to.equal(202);
    expect(started.body.status).to.equal('started');
    expect(started.body.run).to.include({ trigger: 'manual', status: 'running', since: new Date(since).toISOString() });
    const run = await waitFor(async () => {
      const page = await call('GET', '/api/v1/recoveries');
      const found = page.body.recoveries.find((candidate: { id: string }) => candidate.id === started.body.run.id);
      return found?.status === 'completed' ? found : undefined;
    });
    expect(run).to.include({ scanned: 1, failed: 1, already_accepted: 0, requested: 1 });
    expect(run.requests).to.have.length(1);
    expect(run.requests[0]).to.include({ guid: missed.guid, event: 'pull_request', failed_status_code: 0, outcome: 'requested', hook: 'app' });
    expect(github.redeliveries.map((r) => r.guid)).to.deep.equal([missed.guid]);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).to.match(/^orchestrator_recovery_runs_total\{trigger="manual",status="completed"\} 1$/m);
    expect(metrics).to.match(/^orchestrator_recovery_redeliveries_total\{outcome="requested"\} 1$/m);
  });

  it('refuses a malformed since (400) and a second run while one holds the lease (409); is in the OpenAPI document', async () => {
    const bad = await call('POST', '/api/v1/recoveries?since=yesterday');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.include('since: must be an ISO-8601 date-time');
    const release = github.holdLists();
    try {
      expect((await call('POST', '/api/v1/recoveries')).status).to.equal(202);
      const busy = await call('POST', '/api/v1/recoveries');
      expect(busy.status).to.equal(409);
      expect(busy.body.error.message).to.include('already going on');
    } finally {
      release();
    }
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/api/v1/recoveries']!)).to.have.members(['get', 'post']);
  });

  it('orchestrator recover starts a run and waits for it; --list shows the runs; exit 2 on a bad --since, 4 when stopped', async () => {
    await waitFor(async () => (await call('GET', '/api/v1/recoveries')).body.recoveries.every((r: { status: string }) => r.status !== 'running'));
    const missed = github.addAttempt('/app/hook', { guid: randomUUID(), status_code: 500, status: 'Invalid HTTP Response: 500', event: 'check_run', action: 'completed' });
    const env = { ORCHESTRATOR_URL: service.url, API_TOKEN: TOKEN };
    const recovered = await runOrchestrator(['recover', '--since', '2h'], env);
    expect(recovered.code, recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/recovery run [0-9a-f-]{36}: completed/);
    expect(recovered.stdout).to.include(`redeliver ${missed.guid} check_run.completed (was 500): requested`);
    const listed = await runOrchestrator(['recover', '--list'], env);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.match(/^ID\s+TRIGGER\s+STATUS/m);
    expect((await runOrchestrator(['recover', '--since', 'last tuesday'], env)).code).to.equal(2);
    const stopped = `http://127.0.0.1:${await freePort()}`;
    expect((await runOrchestrator(['recover'], { ...env, ORCHESTRATOR_URL: stopped })).code).to.equal(4);
    expect((await runOrchestrator(['recover', '--list'], { ...env, ORCHESTRATOR_URL: stopped })).code).to.equal(4);
  });
});
