import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { createGithubAuth, type GithubAuthConfig } from '../../../../src/effects/github/create-github-auth.js';
import { createLogger } from '../../../../src/observability/logger.js';
import { startGithubGraphqlDouble, type GithubGraphqlDouble } from '../../../helpers/github-graphql-double.js';

// GitHub hands out App keys as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"); test with that format.
const appKeys = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

describe('createGithubAuth', function () {
  this.timeout(30_000);
  const keys = appKeys();
  let double: GithubGraphqlDouble;

  const makeAuth = (auth: GithubAuthConfig, graphqlUrl = double.url) =>
    createGithubAuth({ auth, graphqlUrl, fetch: globalThis.fetch, logger: createLogger({ level: 'fatal' }) });

  before(async () => {
    double = await startGithubGraphqlDouble({ appPublicKey: keys.publicKey });
  });

  after(async () => {
    await double.close();
  });

  beforeEach(() => {
    double.tokenRequests.length = 0;
  });

  it('uses a token as it is, from one rate-limit bucket', async () => {
    const auth = makeAuth({ kind: 'token', token: 'ghp_plain' });
    expect(auth.configured).to.equal(true);
    expect(await auth.credentials()).to.deep.equal({ authorization: 'bearer ghp_plain', bucket: 'token' });
    expect(double.tokenRequests).to.have.length(0);
  });

  it("mints an installation token with the App's JWT and reuses it for the same installation", async () => {
    const auth = makeAuth({ kind: 'app', appId: '1234', privateKey: keys.privateKey });

    const first = await auth.credentials(42);
    const again = await auth.credentials(42);
    const other = await auth.credentials(7);

    expect(double.tokenRequests.map(({ path, installationId }) => ({ path, installationId }))).to.deep.equal([
      { path: '/app/installations/42/access_tokens', installationId: 42 },
      { path: '/app/installations/7/access_tokens', installationId: 7 },
    ]);
    expect(first).to.deep.equal({ authorization: `bearer ${double.tokenRequests[0]?.token}`, bucket: 'installation:42' });
    expect(again).to.deep.equal(first);
    expect(other.bucket).to.equal('installation:7');
  });

  it('asks the Enterprise Server REST API under /api/v3 when the GraphQL URL is /api/graphql', async () => {
    const auth = makeAuth({ kind: 'app', appId: '1234', privateKey: keys.privateKey }, double.enterpriseUrl);
    await auth.credentials(42);
    expect(double.tokenRequests.map((request) => request.path)).to.deep.equal(['/api/v3/app/installations/42/access_tokens']);
  });

  it('accepts a private key whose newlines arrived as literal \\n', async () => {
    const escaped = keys.privateKey.trim().split('\n').join('\\n');
    const auth = makeAuth({ kind: 'app', appId: '1234', privateKey: escaped });
    expect((await auth.credentials(5)).bucket).to.equal('installation:5');
    expect(double.tokenRequests[0]?.token).to.be.a('string');
  });

  it('refuses a call without an installation id permanently, without asking GitHub', async () => {
    const auth = makeAuth({ kind: 'app', appId: '1234', privateKey: keys.privateKey });
    const error = await auth.credentials().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure' });
    expect(double.tokenRequests).to.have.length(0);
  });

  it('fails at creation with not_configured when the private key is not a key', () => {
    expect(() => makeAuth({ kind: 'app', appId: '1234', privateKey: 'not a key' }))
      .to.throw(AppError, 'The GitHub App private key is not a valid PEM private key')
      .with.property('code', 'not_configured');
  });

  it('rejects every call with not_configured when there are no credentials', async () => {
    const auth = makeAuth({ kind: 'none' });
    const error = await auth.credentials(1).catch((e: unknown) => e);
    expect(auth.configured).to.equal(false);
    expect(error).to.include({ code: 'not_configured', message: 'GitHub credentials are not configured' });
  });
});
