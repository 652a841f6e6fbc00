import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { request as octokitRequest } from '@octokit/request';
import { createGithubHookDeliveries } from '../../../src/recovery/github-hook-deliveries.js';
import { createRecoveryAuth } from '../../../src/recovery/recovery-auth.js';
import { startGithubRestDouble, type GithubRestDouble } from '../../helpers/github-rest-double.js';
import { silentLogger } from '../../helpers/test-database.js';

const APP_ID = '4242';
const TOKEN = 'ghp_auth0123456789abcdefghij';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

describe('createRecoveryAuth', function () {
  this.timeout(20_000);
  let double: GithubRestDouble;
  before(async () => {
    double = await startGithubRestDouble({ app: { appId: APP_ID, privateKeyPem: privateKey }, tokens: [TOKEN] });
    double.addAttempt('/app/hook', { guid: 'g-app' });
    double.addAttempt('/repos/octo/app/hooks/1', { guid: 'g-repo' });
  });
  after(() => double.close());
  const request = () => octokitRequest.defaults({ baseUrl: double.url, request: { fetch } });
  const auth = (credentials: { token?: string; app?: { appId: string; privateKey: string } }) =>
    createRecoveryAuth({ ...credentials, request: request(), graphqlUrl: double.graphqlUrl, fetch, logger: silentLogger() });

  it('reads the App\'s own hook with the App\'s JWT, which GitHub (the double) verifies', async () => {
    const appAuth = auth({ app: { appId: APP_ID, privateKey } });
    expect(await appAuth({ kind: 'app' })).to.match(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const page = await createGithubHookDeliveries({ request: request(), auth: appAuth }).list({ kind: 'app' }, undefined);
    expect(page.kind === 'page' && page.items.map((item) => item.guid)).to.deep.equal(['g-app']);
  });

  it('reads a repository or organisation hook with GITHUB_TOKEN when it is set', async () => {
    const tokenAuth = auth({ token: TOKEN, app: { appId: APP_ID, privateKey } });
    expect(await tokenAuth({ kind: 'repo', repository: 'octo/app', hookId: 1 })).to.equal(`bearer ${TOKEN}`);
    expect(await tokenAuth({ kind: 'org', org: 'octo', hookId: 2 })).to.equal(`bearer ${TOKEN}`);
    const page = await createGithubHookDeliveries({ request: request(), auth: tokenAuth }).list({ kind: 'repo', repository: 'octo/app', hookId: 1 }, undefined);
    expect(page.kind === 'page' && page.items.map((item) => item.guid)).to.deep.equal(['g-repo']);
  });

  it('says which credentials are missing instead of calling GitHub without them', async () => {
    const error = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => (e as Error).message);
    expect(await error(auth({ token: TOKEN })({ kind: 'app' }))).to.equal('the App hook needs GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY');
    expect(await error(auth({})({ kind: 'repo', repository: 'octo/app', hookId: 1 }))).to.equal('repository and organisation hooks need GITHUB_TOKEN or GitHub App credentials');
  });
});
