import { expect } from 'chai';
import { serviceOperations } from '../../../src/api/service-operations.js';
import { WEBHOOK_PATH } from '../../../src/ingress/webhook-handler.js';

describe('serviceOperations', () => {
  it('keys each operation by its operationId and asks no token for any', () => {
    for (const [key, operation] of Object.entries(serviceOperations)) {
      expect(operation.operationId).to.equal(key);
      expect(operation.auth, key).to.equal('none');
    }
  });

  it('documents the webhook on the path the receiver serves, with every answer it gives', () => {
    const webhook = serviceOperations.receiveGitHubWebhook;
    expect([webhook.method, webhook.path]).to.deep.equal(['post', WEBHOOK_PATH]);
    expect(webhook.responses).to.include.keys('202', '400', '401', '413', '415', '429', '503');
    expect(webhook.requestBody?.content).to.have.keys('application/json', 'application/x-www-form-urlencoded');
  });

  it('documents health, liveness and readiness as the probes Kubernetes reads', () => {
    expect(serviceOperations.getHealth.responses).to.include.keys('200', '503');
    expect(serviceOperations.getReadiness.responses).to.include.keys('200', '503');
    expect(serviceOperations.getLiveness.path).to.equal('/health/live');
  });
});
