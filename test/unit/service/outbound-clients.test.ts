import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/load-config.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createOutboundClients } from '../../../src/service/outbound-clients.js';
import { silentLogger } from '../../helpers/test-database.js';

const configured = (env: Record<string, string>) => {
  const { github, codegen } = createOutboundClients(loadConfig({ GITHUB_WEBHOOK_SECRET: 'a-webhook-secret', ...env }), silentLogger(), createMetrics());
  return { github: github.configured, codegen: codegen.configured };
};

describe('createOutboundClients', () => {
  it('leaves both unconfigured without credentials: every call is refused as not configured', () => {
    expect(configured({})).to.deep.equal({ github: false, codegen: false });
  });

  it('configures GitHub with a token, or with an App\'s id and private key', () => {
    expect(configured({ GITHUB_TOKEN: 'ghp_0123456789abcdefghij' }).github).to.equal(true);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(configured({ GITHUB_APP_ID: '12345', GITHUB_APP_PRIVATE_KEY: pem }).github).to.equal(true);
  });

  it('configures Codegen only with its token and organisation id', () => {
    expect(configured({ CODEGEN_TOKEN: 'cg-token-0123456789', CODEGEN_ORG_ID: '42' }).codegen).to.equal(true);
  });

  it('reports no call before the first one', () => {
    const { github, codegen } = createOutboundClients(loadConfig({ GITHUB_WEBHOOK_SECRET: 'a-webhook-secret' }), silentLogger(), createMetrics());
    expect([github.lastCall(), codegen.lastCall()]).to.deep.equal([undefined, undefined]);
  });
});
