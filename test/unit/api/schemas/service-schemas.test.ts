import { expect } from 'chai';
import { healthSchema, readinessSchema, webhookAcceptedSchema, webhookHeaders } from '../../../../src/api/schemas/service-schemas.js';
import { examplePayload } from '../../../fixtures/webhook-examples.js';
import { signedWebhook } from '../../../helpers/signed-webhook.js';

/** Header names as the document writes them, from what a client sends in lower case. */
const asDocumented = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.keys(webhookHeaders.shape).flatMap((name) => (headers[name.toLowerCase()] === undefined ? [] : [[name, headers[name.toLowerCase()]]])),
  );

describe('webhookHeaders', () => {
  it('describes the headers GitHub sends with a real delivery', () => {
    const { headers } = signedWebhook({ event: 'push', payload: examplePayload('push'), secret: 's' });
    expect(webhookHeaders.safeParse(asDocumented(headers)).success).to.equal(true);
  });

  it('requires the delivery, event and signature headers', () => {
    const { headers } = signedWebhook({ event: 'push', payload: {}, secret: 's' });
    const documented = asDocumented(headers);
    delete documented['X-Hub-Signature-256'];
    expect(webhookHeaders.safeParse(documented).success).to.equal(false);
  });
});

describe('webhookAcceptedSchema', () => {
  it('accepts queued and duplicate results only', () => {
    const body = { status: 'accepted', delivery_id: 'd-1', event_type: 'push', result: { status: 'queued', stream: 'GITHUB', seq: 1 } };
    expect(webhookAcceptedSchema.safeParse(body).success).to.equal(true);
    expect(webhookAcceptedSchema.safeParse({ ...body, result: { ...body.result, status: 'dropped' } }).success).to.equal(false);
  });
});

describe('healthSchema', () => {
  it('accepts checks with details beside their status, and only the three overall statuses', () => {
    const body = { status: 'degraded', checks: { github_api: { status: 'down', breaker: 'open', last_call: null } }, uptime: 12 };
    expect(healthSchema.safeParse(body).success).to.equal(true);
    expect(healthSchema.safeParse({ ...body, status: 'ok' }).success).to.equal(false);
    expect(healthSchema.safeParse({ ...body, checks: { nats: { status: 'flaky' } } }).success).to.equal(false);
  });
});

describe('readinessSchema', () => {
  it('says ready, or not ready with reasons', () => {
    expect(readinessSchema.safeParse({ status: 'not_ready', reasons: ['shutting down'] }).success).to.equal(true);
    expect(readinessSchema.safeParse({ status: 'starting' }).success).to.equal(false);
  });
});
