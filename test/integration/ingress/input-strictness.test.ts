import { expect } from 'chai';
import { signPayload } from '../../../src/ingress/verify-signature.js';
import { signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { streamState } from '../../helpers/stream-reader.js';

const WEBHOOK = '/api/v1/webhooks/github';
const TOKEN = 'input-strictness-token-0123456789';

interface ErrorAnswer {
  status: number;
  allow: string | null;
  code: string | undefined;
  message: string | undefined;
}

describe('webhook and API input strictness', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService({ ACTORS_ENABLED: 'false', API_TOKEN: TOKEN });
  });
  after(async () => {
    await service.dispose();
  });

  const published = async () => (await streamState(service.nats.nc, service.topology.streams.github)).messages;

  async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<ErrorAnswer> {
    const response = await fetch(`${service.url}${path}`, { method, headers: init.headers, body: init.body });
    const text = await response.text();
    const error = text ? (JSON.parse(text) as { error?: { code: string; message: string } }).error : undefined;
    return { status: response.status, allow: response.headers.get('allow'), code: error?.code, message: error?.message };
  }

  /** A webhook request signed over exactly `body`, as GitHub would sign it. */
  function signed(body: Buffer, contentType = 'application/json') {
    const { headers } = signedWebhook({ event: 'ping', payload: '{}', secret: TEST_SECRET });
    return { ...headers, 'content-type': contentType, 'x-hub-signature-256': signPayload(TEST_SECRET, body) };
  }

  describe('bodies that are not UTF-8', () => {
    const cases: Array<[string, Buffer]> = [
      ['a lone continuation byte', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d])],
      ['a Latin-1 é', Buffer.from('{"zen":"caf\u00e9"}', 'latin1')],
      ['an overlong encoding of "/"', Buffer.concat([Buffer.from('{"zen":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
      ['a UTF-16 surrogate encoded as UTF-8', Buffer.concat([Buffer.from('{"zen":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
      ['a truncated 4-byte sequence', Buffer.concat([Buffer.from('{"zen":"'), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('"}')])],
    ];
    for (const [name, body] of cases) {
      it(`refuses a signed JSON body with ${name}: 400 bad_request naming UTF-8, nothing published`, async () => {
        const before = await published();
        const answer = await send('POST', WEBHOOK, { headers: signed(body), body });
        expect(answer.status).to.equal(400);
        expect(answer.code).to.equal('bad_request');
        expect(answer.message).to.equal('the JSON body is not valid UTF-8');
        expect(await published()).to.equal(before);
      });
    }

    it('refuses a form whose payload field percent-encodes bytes that are not UTF-8', async () => {
      const before = await published();
      const body = Buffer.from('payload=%7B%22zen%22%3A%22caf%E9%22%7D');
      const answer = await send('POST', WEBHOOK, { headers: signed(body, 'application/x-www-form-urlencoded'), body });
      expect(answer).to.include({ status: 400, code: 'bad_request' });
      expect(answer.message).to.equal('the form field "payload" is not valid percent-encoded UTF-8');
      expect(await published()).to.equal(before);
    });

    it('checks the signature first: an unsigned body that is not UTF-8 is a 401', async () => {
      const body = Buffer.from([0xff, 0xfe, 0x7b, 0x7d]);
      const headers = { ...signed(body), 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) };
      expect(await send('POST', WEBHOOK, { headers, body })).to.include({ status: 401, code: 'invalid_signature' });
    });

    it('still accepts multi-byte UTF-8, a BOM-less body and an explicit charset=utf-8', async () => {
      const body = Buffer.from(JSON.stringify({ zen: 'Ünïcödé — 日本語 🎉' }), 'utf8');
      for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8']) {
        const answer = await send('POST', WEBHOOK, { headers: signed(body, contentType), body });
        expect(answer.status, contentType).to.equal(202);
      }
    });
  });

  describe('declared charsets', () => {
    for (const contentType of [
      'application/json; charset=latin1',
      'application/json; charset=ISO-8859-1',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded; charset=windows-1252',
      'application/json; charset=""',
    ]) {
      it(`refuses "${contentType}" with 415 unsupported_media_type before checking anything else`, async () => {
        const before = await published();
        const body = Buffer.from('{"zen":"caf\u00e9"}', 'latin1');
        // Unsigned: the content type is checked before the signature (the receiver's order: cheap checks first).
        const answer = await send('POST', WEBHOOK, { headers: { ...signed(body, contentType), 'x-hub-signature-256': '' }, body });
        expect(answer.status).to.equal(415);
        expect(answer.code).to.equal('unsupported_media_type');
        expect(answer.message).to.match(/^charset "[^"]*" is not supported; send UTF-8$/);
        expect(await published()).to.equal(before);
      });
    }
    it('refuses a charset parameter it cannot read (an unterminated quote) as a declared one: 415', async () => {
      const body = Buffer.from('{"zen":"x"}');
      const answer = await send('POST', WEBHOOK, { headers: signed(body, 'application/json; charset="utf-16'), body });
      expect(answer).to.deep.include({ status: 415, code: 'unsupported_media_type', message: 'the charset parameter of Content-Type is malformed; send UTF-8' });
    });
  });

  describe('wrong methods', () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      it(`answers ${method} on the webhook path with 405 method_not_allowed and Allow: POST`, async () => {
        const answer = await send(method, WEBHOOK);
        expect(answer).to.deep.equal({
          status: 405,
          allow: 'POST',
          code: 'method_not_allowed',
          message: `method ${method} is not allowed on ${WEBHOOK}; GitHub POSTs`,
        });
      });
    }

    it('answers OPTIONS on the webhook path with Allow: POST', async () => {
      const response = await fetch(`${service.url}${WEBHOOK}`, { method: 'OPTIONS' });
      expect(response.status).to.equal(204);
      expect(response.headers.get('allow')).to.equal('POST');
    });

    const apiCases: Array<[string, string, string]> = [
      ['DELETE', '/api/v1/tasks', 'HEAD, GET'],
      ['POST', '/api/v1/tasks', 'HEAD, GET'],
      ['PUT', '/api/v1/tasks/8d3c1f4e-8e57-4d55-9b8e-2f8f5c1c0a11', 'HEAD, GET'],
      ['GET', '/api/v1/tasks/8d3c1f4e-8e57-4d55-9b8e-2f8f5c1c0a11/retry', 'POST'],
      ['PATCH', '/api/v1/deliveries', 'HEAD, GET'],
      ['GET', '/api/v1/deliveries/some-delivery/replay', 'POST'],
      ['DELETE', '/api/v1/dead-letters', 'HEAD, GET'],
      ['POST', '/health', 'HEAD, GET'],
      ['PUT', '/metrics', 'HEAD, GET'],
    ];
    for (const [method, path, allow] of apiCases) {
      it(`answers ${method} ${path} with 405 and Allow: ${allow}, with or without a token`, async () => {
        for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Array<Record<string, string>>) {
          const answer = await send(method, path, { headers });
          expect(answer).to.deep.equal({
            status: 405,
            allow,
            code: 'method_not_allowed',
            message: `method ${method} is not allowed on ${path}; allowed: ${allow}`,
          });
        }
      });
    }

    it('treats a method no router implements (PROPFIND) as a 405 too, and an unknown path as 404 whatever the method', async () => {
      expect(await send('PROPFIND', '/api/v1/tasks')).to.include({ status: 405, allow: 'HEAD, GET', code: 'method_not_allowed' });
      expect(await send('PROPFIND', '/no/such/path')).to.include({ status: 404, allow: null, code: 'not_found' });
      expect(await send('DELETE', '/no/such/path')).to.include({ status: 404, allow: null, code: 'not_found' });
    });
  });
});
