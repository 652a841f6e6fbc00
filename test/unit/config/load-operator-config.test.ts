import { expect } from 'chai';
import { ConfigError } from '../../../src/config/load-config.js';
import { loadOperatorConfig } from '../../../src/config/load-operator-config.js';

describe('loadOperatorConfig', () => {
  it('needs nothing: the service on this machine, the local NATS and PostgreSQL', () => {
    const config = loadOperatorConfig({});
    expect(config).to.deep.include({ orchestratorUrl: 'http://127.0.0.1:8000', apiToken: undefined, webhookSecrets: [], logLevel: 'info' });
    expect(config.nats).to.deep.include({ servers: ['nats://127.0.0.1:4222'], namespace: '', streamsDir: 'streams' });
    expect(config.database.url).to.equal('postgresql://postgres@127.0.0.1:5432/orchestrator');
  });

  it('reads the service\'s own variables, a trailing slash of the URL dropped, the secret list split', () => {
    const config = loadOperatorConfig({
      ORCHESTRATOR_URL: 'https://orchestrator.example.com/',
      API_TOKEN: 'a-management-token-1234',
      GITHUB_WEBHOOK_SECRET: 'old,new',
      NATS_URL: 'nats://a:4222,nats://b:4222',
      NATS_NAMESPACE: 'staging',
      DATABASE_URL: 'postgresql://orch@db/orch',
    });
    expect(config).to.deep.include({ orchestratorUrl: 'https://orchestrator.example.com', apiToken: 'a-management-token-1234', webhookSecrets: ['old', 'new'] });
    expect(config.nats).to.deep.include({ servers: ['nats://a:4222', 'nats://b:4222'], namespace: 'staging' });
    expect(config.database.url).to.equal('postgresql://orch@db/orch');
  });

  it('is frozen, so no command changes what another reads', () => {
    const config = loadOperatorConfig({});
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.nats)).to.equal(true);
  });

  it('names every wrong variable at once', () => {
    const error = (() => {
      try {
        loadOperatorConfig({ NATS_NAMESPACE: 'has spaces', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.include('NATS_NAMESPACE');
    expect(problems).to.include('LOG_LEVEL');
  });
});
