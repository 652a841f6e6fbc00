import { expect } from 'chai';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../../src/errors/app-error.js';
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

describe('parseWebhookPayload, for any input', () => {
  const SEED = 0x9a7;
  const anyObject = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });

  it('returns any JSON object it was given, as JSON or as the form payload field', () => {
    fc.assert(
      fc.property(anyObject, fc.boolean(), (object, form) => {
        const json = JSON.stringify(object);
        const body = Buffer.from(form ? new URLSearchParams({ payload: json }).toString() : json, 'utf8');
        const parsed = parseWebhookPayload(body, form ? 'form' : 'json');
        expect(parsed.payload).to.deep.equal(JSON.parse(json));
        expect(parsed.payloadBytes.toString('utf8')).to.equal(json);
        expect(parsed.action).to.equal(typeof object.action === 'string' ? object.action : undefined);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses anything else with 400 bad_request and nothing but that', () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue({ maxDepth: 2 }).filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map((value) => Buffer.from(JSON.stringify(value))),
      fc.integer({ min: 1, max: 50_000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
    );
    fc.assert(
      fc.property(body, fc.constantFrom('json' as const, 'form' as const), (bytes, type) => {
        try {
          const parsed = parseWebhookPayload(bytes, type);
          expect(parsed.payload).to.be.an('object');
          expect(isUtf8(parsed.payloadBytes)).to.equal(true);
        } catch (error) {
          expect(error).to.be.instanceOf(AppError).with.property('code', 'bad_request');
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
