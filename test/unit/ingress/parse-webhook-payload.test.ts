import { expect } from 'chai';
import { parseWebhookPayload, webhookContentType } from '../../../src/ingress/parse-webhook-payload.js';

describe('webhookContentType', () => {
  it('knows the two content types GitHub sends, with or without parameters', () => {
    expect(webhookContentType('application/json')).to.equal('json');
    expect(webhookContentType('Application/JSON; charset=utf-8')).to.equal('json');
    expect(webhookContentType('application/x-www-form-urlencoded')).to.equal('form');
    expect(webhookContentType('text/plain')).to.equal(undefined);
    expect(webhookContentType(undefined)).to.equal(undefined);
  });
});

describe('parseWebhookPayload', () => {
  it('parses a JSON body and reads its action', () => {
    const parsed = parseWebhookPayload(Buffer.from('{"action":"opened","n":1}'), 'json');
    expect(parsed.action).to.equal('opened');
    expect(parsed.payload).to.deep.equal({ action: 'opened', n: 1 });
  });

  it('takes the JSON from the payload field of a form body, returning those bytes', () => {
    const json = '{"zen":"Keep it logically awesome."}';
    const parsed = parseWebhookPayload(Buffer.from(new URLSearchParams({ payload: json }).toString()), 'form');
    expect(parsed.payloadBytes.toString()).to.equal(json);
    expect(parsed.action).to.equal(undefined);
  });

  it('refuses a form without payload, invalid JSON and non-objects with bad_request', () => {
    const bad: Array<[string, 'json' | 'form']> = [
      ['other=1', 'form'],
      ['{', 'json'],
      ['null', 'json'],
      ['[]', 'json'],
      ['42', 'json'],
    ];
    for (const [body, type] of bad) {
      expect(() => parseWebhookPayload(Buffer.from(body), type), body).to.throw().with.property('code', 'bad_request');
    }
  });
});
