import { expect } from 'chai';
import { request as octokitRequest } from '@octokit/request';
import { createGithubHookDeliveries } from '../../../src/recovery/github-hook-deliveries.js';
import { createRecoveryAuth } from '../../../src/recovery/recovery-auth.js';
import { attemptFailed, scanHookDeliveries } from '../../../src/recovery/scan-hook-deliveries.js';
import { startGithubRestDouble, type GithubRestDouble } from '../../helpers/github-rest-double.js';
import { silentLogger } from '../../helpers/test-database.js';

const TOKEN = 'ghp_scan0123456789abcdefghij';
const target = { kind: 'repo' as const, repository: 'octo/app', hookId: 1 };

describe('scanHookDeliveries', function () {
  this.timeout(20_000);
  let double: GithubRestDouble;
  let github: ReturnType<typeof createGithubHookDeliveries>;
  const ids: Record<string, number> = {};
  before(async () => {
    double = await startGithubRestDouble({ tokens: [TOKEN] });
    const request = octokitRequest.defaults({ baseUrl: double.url, request: { fetch } });
    const auth = createRecoveryAuth({ token: TOKEN, request, graphqlUrl: double.graphqlUrl, fetch, logger: silentLogger() });
    github = createGithubHookDeliveries({ request, auth, perPage: 2 });
    // Oldest first; the double lists them newest first. guid-b was tried twice, the second time it worked.
    const attempts: Array<[string, string, number]> = [
      ['old', '2026-11-20T00:00:00Z', 502],
      ['a', '2026-11-29T10:00:00Z', 502],
      ['b', '2026-11-29T10:01:00Z', 502],
      ['c', '2026-11-29T10:02:00Z', 200],
      ['b-again', '2026-11-29T10:03:00Z', 200],
    ];
    for (const [name, at, status] of attempts) {
      ids[name] = Number(double.addAttempt('/repos/octo/app/hooks/1', { guid: name === 'b-again' ? 'guid-b' : `guid-${name}`, delivered_at: at, status_code: status }).id);
    }
  });
  after(() => double.close());

  it('walks every page newest first down to `since`, keeping each event\'s latest attempt', async () => {
    const scan = await scanHookDeliveries(github, target, { checkpoint: undefined, since: new Date('2026-11-29T00:00:00Z') });
    expect(scan.kind).to.equal('scanned');
    if (scan.kind !== 'scanned') return;
    expect(scan.scanned).to.equal(4);
    expect(scan.newestId).to.equal(ids['b-again']);
    expect([...scan.latest.keys()].sort()).to.deep.equal(['guid-a', 'guid-b', 'guid-c']);
    expect(scan.latest.get('guid-b')!.id).to.equal(ids['b-again']);
    expect(double.requests.filter((r) => r.method === 'GET').length).to.be.at.least(3);
  });

  it('stops at the checkpoint: attempts at or below it were seen by a completed walk', async () => {
    const scan = await scanHookDeliveries(github, target, { checkpoint: ids.b, since: new Date(0) });
    expect(scan.kind === 'scanned' && [...scan.latest.keys()].sort()).to.deep.equal(['guid-b', 'guid-c']);
    expect(scan.kind === 'scanned' && scan.scanned).to.equal(2);
  });

  it('ends the walk as rate limited when GitHub says to wait, losing nothing', async () => {
    double.script({ status: 429, headers: { 'retry-after': '30' }, body: { message: 'slow down' } });
    const scan = await scanHookDeliveries(github, target, { checkpoint: undefined, since: new Date(0) });
    expect(scan.kind).to.equal('rate_limited');
  });
});

describe('attemptFailed', () => {
  it('counts anything but a 2xx as failed, no connection (0) included', () => {
    expect([200, 202, 299].map((status_code) => attemptFailed({ status_code }))).to.deep.equal([false, false, false]);
    expect([0, 301, 404, 502].map((status_code) => attemptFailed({ status_code }))).to.deep.equal([true, true, true, true]);
  });
});
