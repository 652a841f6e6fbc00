import { expect } from 'chai';
import { envSchema } from '../../../src/config/config-schema.js';

const SECRET = { GITHUB_WEBHOOK_SECRET: 'hook-secret' };
const problemsOf = (env: Record<string, string>) => {
  const parsed = envSchema.safeParse({ ...SECRET, ...env });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe('envSchema', () => {
  it('gives a working default for everything but the webhook secret', () => {
    const env = envSchema.parse(SECRET);
    expect(env).to.deep.include({
      PORT: 8000,
      HOST: '0.0.0.0',
      GITHUB_WEBHOOK_SECRET: ['hook-secret'],
      NATS_URL: ['nats://127.0.0.1:4222'],
      DATABASE_POOL_MAX: 20,
      LOG_LEVEL: 'info',
      STREAMS_DIR: 'streams',
      ACTORS_ENABLED: true,
      WEBHOOK_MAX_BODY_BYTES: 25 * 1024 * 1024,
    });
    expect(env.API_TOKEN).to.equal(undefined);
    expect(env.GITHUB_DUPLICATE_WINDOW_SECONDS).to.equal(undefined);
    expect(envSchema.safeParse({}).success).to.equal(false);
  });

  it('refuses a webhook secret list with no secret in it', () => {
    expect(problemsOf({ GITHUB_WEBHOOK_SECRET: ' , ,' })).to.deep.equal(['GITHUB_WEBHOOK_SECRET']);
  });

  it('reads numbers from text and refuses those out of range or not whole', () => {
    expect(envSchema.parse({ ...SECRET, PORT: '9000', CODEGEN_TIMEOUT_MS: '250' })).to.deep.include({ PORT: 9000, CODEGEN_TIMEOUT_MS: 250 });
    expect(problemsOf({ PORT: '70000' })).to.deep.equal(['PORT']);
    expect(problemsOf({ DATABASE_POOL_MAX: '0' })).to.deep.equal(['DATABASE_POOL_MAX']);
    expect(problemsOf({ SHUTDOWN_TIMEOUT_MS: '1.5' })).to.deep.equal(['SHUTDOWN_TIMEOUT_MS']);
    expect(problemsOf({ WEBHOOK_RATE_LIMIT_GLOBAL: 'many' })).to.deep.equal(['WEBHOOK_RATE_LIMIT_GLOBAL']);
  });

  it('reads true, false, 1 and 0 as booleans and refuses anything else', () => {
    expect(envSchema.parse({ ...SECRET, ACTORS_ENABLED: '0' }).ACTORS_ENABLED).to.equal(false);
    expect(envSchema.parse({ ...SECRET, ACTORS_ENABLED: '1' }).ACTORS_ENABLED).to.equal(true);
    expect(envSchema.parse({ ...SECRET, ACTORS_ENABLED: 'false' }).ACTORS_ENABLED).to.equal(false);
    expect(problemsOf({ ACTORS_ENABLED: 'yes' })).to.deep.equal(['ACTORS_ENABLED']);
  });

  it('treats a blank optional secret as not set and trims a given one', () => {
    const env = envSchema.parse({ ...SECRET, GITHUB_TOKEN: '   ', CODEGEN_TOKEN: ' cg-token ' });
    expect(env.GITHUB_TOKEN).to.equal(undefined);
    expect(env.CODEGEN_TOKEN).to.equal('cg-token');
  });

  it('asks for an API token of at least 16 characters when one is set', () => {
    expect(problemsOf({ API_TOKEN: 'short' })).to.deep.equal(['API_TOKEN']);
    expect(problemsOf({ API_TOKEN: 'x'.repeat(16) })).to.deep.equal([]);
    expect(problemsOf({ API_TOKEN: '' })).to.deep.equal([]);
  });

  it('accepts only postgresql URLs for the database and URLs for the APIs', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://db/orchestrator' })).to.deep.equal([]);
    expect(problemsOf({ DATABASE_URL: 'mysql://db/orchestrator' })).to.deep.equal(['DATABASE_URL']);
    expect(problemsOf({ GITHUB_GRAPHQL_URL: 'not a url', CODEGEN_API_URL: 'http://127.0.0.1:9/' })).to.deep.equal(['GITHUB_GRAPHQL_URL']);
  });

  it('keeps one copy of each stream unless NATS_REPLICAS asks for up to five', () => {
    expect(envSchema.parse(SECRET).NATS_REPLICAS).to.equal(1);
    expect(envSchema.parse({ ...SECRET, NATS_REPLICAS: '3' }).NATS_REPLICAS).to.equal(3);
    expect(problemsOf({ NATS_REPLICAS: '0' })).to.deep.equal(['NATS_REPLICAS']);
    expect(problemsOf({ NATS_REPLICAS: '6' })).to.deep.equal(['NATS_REPLICAS']);
  });

  it('accepts only the known log levels', () => {
    expect(problemsOf({ LOG_LEVEL: 'debug' })).to.deep.equal([]);
    expect(problemsOf({ LOG_LEVEL: 'verbose' })).to.deep.equal(['LOG_LEVEL']);
  });
});
