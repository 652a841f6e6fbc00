import { expect } from 'chai';
import { ConfigError, loadConfig, secretsOf } from '../../../src/config/load-config.js';

describe('loadConfig', () => {
  it('needs only the webhook secret and gives the documented defaults', () => {
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc' });
    expect(config.http.port).to.equal(8000);
    expect(config.nats.servers).to.deep.equal(['nats://127.0.0.1:4222']);
    expect(config.database.url).to.equal('postgresql://postgres@127.0.0.1:5432/orchestrator');
    expect(config.github.graphqlUrl).to.equal('https://api.github.com/graphql');
    expect(config.codegen.apiUrl).to.equal('https://api.codegen.com');
    expect(config.webhook.maxBodyBytes).to.equal(25 * 1024 * 1024);
    expect(config.webhook.inflightBytesMax).to.equal(32 * 1024 * 1024);
    expect(config.webhook.rateLimit.perAddress).to.be.at.least(1000);
    expect(config.logLevel).to.equal('info');
    expect(config.api.token).to.equal(undefined);
  });

  it('splits comma-separated secrets (rotation) and NATS servers', () => {
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET: ' old , new ,', NATS_URL: 'nats://a:4222,nats://b:4222' });
    expect(config.webhook.secrets).to.deep.equal(['old', 'new']);
    expect(config.nats.servers).to.deep.equal(['nats://a:4222', 'nats://b:4222']);
  });

  it('fails naming every bad variable at once, without echoing values', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', API_TOKEN: 'short-secret' });
      expect.fail('loadConfig should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).to.include('GITHUB_WEBHOOK_SECRET');
      expect(message).to.include('PORT');
      expect(message).to.include('LOG_LEVEL');
      expect(message).to.include('API_TOKEN');
      expect(message).not.to.include('short-secret');
      expect((error as ConfigError).problems).to.have.length(4);
    }
  });

  it('keeps digests for 4 days and refuses events older than 3 days and 6 hours by default; 0 turns either off', () => {
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET: 'x' });
    expect(config.webhook.replayTtlSeconds).to.equal(4 * 86_400);
    expect(config.webhook.maxEventAgeSeconds).to.equal(3 * 86_400 + 6 * 3600);
    const off = loadConfig({ GITHUB_WEBHOOK_SECRET: 'x', WEBHOOK_REPLAY_TTL_SECONDS: '0', WEBHOOK_MAX_EVENT_AGE_SECONDS: '0' });
    expect(off.webhook).to.include({ replayTtlSeconds: 0, maxEventAgeSeconds: 0 });
  });

  it('refuses a digest TTL shorter than the maximum event age, which would leave replays unrecognised in between', () => {
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'x', WEBHOOK_REPLAY_TTL_SECONDS: '3600', WEBHOOK_MAX_EVENT_AGE_SECONDS: '7200' })).to.throw(
      ConfigError,
      /WEBHOOK_REPLAY_TTL_SECONDS must be at least WEBHOOK_MAX_EVENT_AGE_SECONDS/,
    );
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'x', WEBHOOK_MAX_EVENT_AGE_SECONDS: '-1' })).to.throw(ConfigError, /WEBHOOK_MAX_EVENT_AGE_SECONDS/);
  });

  it('refuses an in-flight byte budget smaller than one body at the limit', () => {
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', WEBHOOK_MAX_BODY_BYTES: '2048', WEBHOOK_INFLIGHT_BYTES_MAX: '1024' }))
      .to.throw(ConfigError, 'WEBHOOK_INFLIGHT_BYTES_MAX must be at least WEBHOOK_MAX_BODY_BYTES');
    expect(loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', WEBHOOK_MAX_BODY_BYTES: '2048', WEBHOOK_INFLIGHT_BYTES_MAX: '2048' }).webhook.inflightBytesMax)
      .to.equal(2048);
  });

  it('refuses half-configured credentials', () => {
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'x', CODEGEN_TOKEN: 'tok' })).to.throw(ConfigError, /CODEGEN_ORG_ID/);
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'x', GITHUB_APP_ID: '1' })).to.throw(ConfigError, /GITHUB_APP_PRIVATE_KEY/);
  });

  it('returns a frozen object and lists its secrets for the logger', () => {
    const config = loadConfig({ GITHUB_WEBHOOK_SECRET: 'hook-secret', CODEGEN_TOKEN: 'cg-token', CODEGEN_ORG_ID: '7' });
    expect(Object.isFrozen(config.webhook)).to.equal(true);
    expect(secretsOf(config)).to.have.members(['hook-secret', 'cg-token']);
  });

  it('turns on recovery of the App hook with App credentials, and of the RECOVERY_HOOKS given', () => {
    expect(loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc' }).recovery).to.deep.include({ enabled: true, hooks: [], intervalMs: 300_000, lookbackMs: 72 * 3_600_000 });
    const config = loadConfig({
      GITHUB_WEBHOOK_SECRET: 'abc',
      GITHUB_APP_ID: '1',
      GITHUB_APP_PRIVATE_KEY: 'pem',
      RECOVERY_HOOKS: 'repo:octo/widgets:12, org:octo:34',
      NATS_NAMESPACE: 'staging',
    });
    expect(config.recovery.hooks).to.deep.equal([
      { kind: 'app' },
      { kind: 'repo', repository: 'octo/widgets', hookId: 12 },
      { kind: 'org', org: 'octo', hookId: 34 },
    ]);
    expect(config.nats.namespace).to.equal('staging');
  });

  it('refuses malformed recovery hooks, hooks without credentials, a long lookback and a bad namespace', () => {
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', GITHUB_TOKEN: 't', RECOVERY_HOOKS: 'repo:octo' })).to.throw(ConfigError, /RECOVERY_HOOKS entries must be/);
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', RECOVERY_HOOKS: 'org:octo:1' })).to.throw(ConfigError, /needs GITHUB_TOKEN/);
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', RECOVERY_LOOKBACK_HOURS: '100' })).to.throw(ConfigError, /RECOVERY_LOOKBACK_HOURS/);
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRET: 'abc', NATS_NAMESPACE: 'a.b' })).to.throw(ConfigError, /NATS_NAMESPACE/);
  });
});
