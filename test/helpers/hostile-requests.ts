import fc from 'fast-check';
import { signPayload } from '../../src/ingress/verify-signature.js';

/** One generated HTTP request; header values are byte strings (UTF-8 bytes as latin1 chars). */
export interface HostileRequest {
  kind: 'webhook' | 'api';
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
  /** Sent with Transfer-Encoding: chunked instead of Content-Length. */
  chunked: boolean;
}

export interface HostileRequestOptions {
  secret: string;
  apiToken: string;
}

/** Any text, as the bytes of its UTF-8 encoding in a header value (control characters dropped). */
const asHeaderBytes = (text: string) =>
  [...Buffer.from(text, 'utf8')].filter((byte) => byte === 0x09 || (byte >= 0x20 && byte !== 0x7f)).map((byte) => String.fromCharCode(byte)).join('');

const unicodeText = fc.string({ unit: 'binary', maxLength: 30 });
const hugeText = fc.integer({ min: 1000, max: 20_000 }).map((length) => 'x'.repeat(length));
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  unicodeText.map(asHeaderBytes),
  hugeText,
  fc.constant(''),
);

const eventName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('ping', 'push', 'pull_request', 'check_run', 'check_suite', 'installation', 'issues', 'zzz_unknown') },
  { weight: 1, arbitrary: headerValue },
);
const deliveryId = fc.oneof(
  { weight: 4, arbitrary: fc.uuid({ version: 4 }) },
  { weight: 1, arbitrary: headerValue },
);

/** Nested arrays or objects `depth` levels deep. */
const deepJson = fc.record({ depth: fc.integer({ min: 1, max: 20_000 }), object: fc.boolean() }).map(({ depth, object }) =>
  object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}',
);
const jsonObject = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }).map((value) => JSON.stringify(value));
const notAnObject = fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map((value) => JSON.stringify(value)));
const invalidUtf8 = fc.tuple(jsonObject, fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xff], [0xe9])).map(
  ([json, bad]) => Buffer.concat([Buffer.from(json.slice(0, -1) + (json.length > 2 ? ',' : '') + '"k":"'), Buffer.from(bad), Buffer.from('"}')]),
);

const jsonText = fc.oneof(jsonObject, notAnObject, deepJson, fc.string({ unit: 'binary', maxLength: 200 }));
const body = fc.oneof(
  { weight: 3, arbitrary: jsonText.map((text) => Buffer.from(text, 'utf8')) },
  { weight: 2, arbitrary: jsonText.map((text) => Buffer.from(new URLSearchParams({ payload: text }).toString())) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => Buffer.from(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: invalidUtf8 },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON;CHARSET="UTF-8"',
      'application/x-www-form-urlencoded; charset=iso-8859-1', 'application/json; charset=', 'application/json; charset="utf-16',
      'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json, text/plain', '*/*', ';;;',
    ),
  },
  { weight: 1, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

type SignatureKind = 'valid' | 'missing' | 'invalid' | 'truncated' | 'other-secret' | 'sha1' | 'uppercase' | 'garbage';
const signatureKind = fc.oneof(
  { weight: 5, arbitrary: fc.constant<SignatureKind>('valid') },
  { weight: 3, arbitrary: fc.constantFrom<SignatureKind>('missing', 'invalid', 'truncated', 'other-secret', 'sha1', 'uppercase', 'garbage') },
);

function signature(kind: SignatureKind, secret: string, payload: Buffer, garbage: string): string | undefined {
  const valid = signPayload(secret, payload);
  switch (kind) {
    case 'valid': return valid;
    case 'missing': return undefined;
    case 'invalid': return valid.slice(0, -1) + (valid.endsWith('0') ? '1' : '0');
    case 'truncated': return valid.slice(0, 7 + (garbage.length % 64));
    case 'other-secret': return signPayload(`${secret}!`, payload);
    case 'sha1': return valid.replace('sha256=', 'sha1=');
    case 'uppercase': return valid.toUpperCase();
    case 'garbage': return garbage;
  }
}

/** Requests to the webhook receiver: mostly almost-valid, each with a few things wrong. */
export function hostileWebhookRequest(options: HostileRequestOptions): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND') }),
      body,
      contentType,
      event: fc.option(eventName, { freq: 10 }),
      deliveryId: fc.option(deliveryId, { freq: 10 }),
      signatureKind,
      garbage: headerValue,
      duplicate: fc.option(fc.constantFrom('x-github-event', 'x-github-delivery', 'x-hub-signature-256', 'content-type'), { freq: 2 }),
      extra: fc.dictionary(fc.constantFrom('x-github-hook-id', 'x-github-hook-installation-target-type', 'x-github-hook-installation-target-id', 'user-agent', 'x-forwarded-for', 'x-junk'), headerValue, { maxKeys: 3 }),
      chunked: fc.boolean(),
      query: fc.option(fc.string({ maxLength: 20 }).map(encodeURIComponent), { freq: 10 }),
    })
    .map((r) => {
      const headers: Record<string, string | string[]> = { ...r.extra };
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.event !== null) headers['x-github-event'] = r.event;
      if (r.deliveryId !== null) headers['x-github-delivery'] = r.deliveryId;
      const signed = signature(r.signatureKind, options.secret, r.body, r.garbage);
      if (signed !== undefined) headers['x-hub-signature-256'] = signed;
      if (r.duplicate !== null) {
        const first = headers[r.duplicate] ?? 'x';
        headers[r.duplicate] = [String(first), String(first === 'ping' ? 'push' : first)];
      }
      return {
        kind: 'webhook' as const,
        method: r.method,
        path: '/api/v1/webhooks/github' + (r.query === null ? '' : `?${r.query}`),
        headers,
        body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body,
        chunked: r.chunked,
      };
    });
}

const idSegment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  unicodeText,
  fc.constantFrom('..', '%2e%2e', '0', '-1', 'null', "' or 1=1 --", '%00', 'a'.repeat(300)),
).map((id) => encodeURIComponent(id).replace(/%25/g, '%'));

const queryValue = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.constantFrom('', '1e3', '0x10', '1.5', 'NaN', 'Infinity', '-0', '9'.repeat(40), 'true', '[]', 'null'),
  fc.constantFrom('6h', '2026-11-29T00:00:00Z', '2026-13-45T99:99:99Z', '0000-01-01', '275760-09-13T00:00:00Z', '-1d'),
  fc.constantFrom('pending', 'running', 'succeeded', 'failed', 'dead', 'processed', 'ignored', 'duplicate', 'pull_request_analysis', 'owner/name', 'push', 'a/b/c', '/'),
  fc.string({ maxLength: 30 }),
  unicodeText,
  hugeText,
);
const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('limit', 'offset', 'status', 'task_type', 'repository', 'delivery_id', 'event', 'action', 'outcome', 'since', 'until', 'minutes'), fc.string({ maxLength: 8 })), queryValue), { maxLength: 5 })
  .map((pairs) => pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&'));

/** Requests to the management API and the operations routes: paths, filters, methods, tokens. */
export function hostileApiRequest(options: HostileRequestOptions): fc.Arbitrary<HostileRequest> {
  const path = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('/api/v1/tasks', '/api/v1/deliveries', '/api/v1/dead-letters', '/api/v1/overview', '/api/v1/recoveries') },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom('/api/v1/tasks/:id', '/api/v1/tasks/:id/retry', '/api/v1/deliveries/:id', '/api/v1/deliveries/:id/replay', '/api/v1/deliveries/:id/message', '/api/v1/deliveries/:id/payload', '/api/v1/dead-letters/:id/redrive', '/console/:id'), idSegment)
        .map(([template, id]) => template.replace(':id', id)),
    },
    { weight: 1, arbitrary: fc.constantFrom('/health', '/health/live', '/health/ready', '/metrics', '/openapi.json', '/console', '/api/v1', '/api/v1/', '/api/v1/tasks/', '//api/v1/tasks', '/API/V1/TASKS') },
    { weight: 1, arbitrary: fc.array(idSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/api/v1/${segments.join('/')}`) },
  );
  const authorization = fc.oneof(
    { weight: 4, arbitrary: fc.constant(`Bearer ${options.apiToken}`) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer', 'Bearer ', `bearer ${options.apiToken}`, `Bearer ${options.apiToken}x`, `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${options.apiToken.slice(0, -1)}`) },
    { weight: 1, arbitrary: headerValue.map((value) => `Bearer ${value}`) },
  );
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, { weight: 2, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND') }),
      path,
      query: fc.option(queryString, { freq: 3 }),
      authorization,
      body: fc.option(fc.oneof(jsonObject, fc.string({ maxLength: 100 })), { freq: 4 }),
      contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'), { freq: 2 }),
    })
    .map((r) => {
      const headers: Record<string, string | string[]> = {};
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.contentType !== null) headers['content-type'] = r.contentType;
      return {
        kind: 'api' as const,
        method: r.method,
        path: r.path + (r.query === null ? '' : `?${r.query}`),
        headers,
        body: r.body === null || r.method === 'GET' || r.method === 'HEAD' ? undefined : Buffer.from(r.body),
        chunked: false,
      };
    });
}
