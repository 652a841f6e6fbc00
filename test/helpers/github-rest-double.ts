import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';

/** A hook delivery attempt exactly as GitHub's OpenAPI description types it. */
export type HookDeliveryItem = components['schemas']['hook-delivery-item'];

/** One request the double received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

/** An answer to hand out instead of the normal one (rate limits, outages). */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only for requests whose method is this (default: any). */
  method?: 'GET' | 'POST';
}

/** Options of {@link startGithubRestDouble}. */
export interface GithubRestDoubleOptions {
  /** The App whose JWTs the double accepts (RS256, `iss` = app id), as GitHub checks them. */
  app?: { appId: string; privateKeyPem: string };
  /** Personal/installation tokens accepted on repository and organisation hooks. */
  tokens?: readonly string[];
}

export interface GithubRestDouble {
  url: string;
  /** GraphQL URL whose REST base (by the service's rule) is this double. */
  graphqlUrl: string;
  requests: ReceivedRequest[];
  /** Redeliveries asked for: the hook path and the attempt id. */
  redeliveries: Array<{ hook: string; id: number; guid: string }>;
  /**
   * Records a delivery attempt on `hook` (`/app/hook`, `/repos/o/r/hooks/1`, `/orgs/o/hooks/1`),
   * newest first as GitHub lists them. Values follow GitHub's documented example.
   */
  addAttempt(hook: string, attempt: Partial<HookDeliveryItem> & Pick<HookDeliveryItem, 'guid'>): HookDeliveryItem;
  /** The next requests (in order) get these answers instead. */
  script(...answers: ScriptedAnswer[]): void;
  /** What a redelivery attempt's status code will be (the target service up or down). Default 202. */
  redeliveryStatusCode: number;
  /** Holds list requests until the returned function is called. */
  holdLists(): () => void;
  close(): Promise<void>;
}

/**
 * A loopback double of GitHub's REST hook-delivery endpoints (`GET …/hook/deliveries` with
 * `per_page` and `cursor`, the Link header with rel="next", `POST …/deliveries/{id}/attempts` → 202)
 * for the App hook and repository/organisation hooks. It checks the App JWT's RS256 signature and
 * issuer, and sends x-ratelimit-* headers on every answer.
 */
export async function startGithubRestDouble(options: GithubRestDoubleOptions = {}): Promise<GithubRestDouble> {
  const publicKey: KeyObject | undefined = options.app ? createPublicKey(options.app.privateKeyPem) : undefined;
  const hooks = new Map<string, HookDeliveryItem[]>();
  const scripted: ScriptedAnswer[] = [];
  let nextId = 1_000_000;
  let remaining = 5000;
  let hold: Promise<void> | undefined;

  const double: GithubRestDouble = {
    url: '',
    graphqlUrl: '',
    requests: [],
    redeliveries: [],
    redeliveryStatusCode: 202,
    addAttempt(hook, attempt) {
      nextId += 1;
      const item: HookDeliveryItem = {
        id: nextId,
        delivered_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        redelivery: false,
        duration: 0.03,
        status: 'failed to connect',
        status_code: 502,
        event: 'issues',
        action: 'opened',
        installation_id: 123,
        repository_id: 456,
        throttled_at: null,
        ...attempt,
      };
      const list = hooks.get(hook) ?? [];
      list.unshift(item);
      list.sort((a, b) => Number(b.id) - Number(a.id));
      hooks.set(hook, list);
      return item;
    },
    script(...answers) {
      scripted.push(...answers);
    },
    holdLists() {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    remaining = Math.max(0, remaining - 1);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
      ...headers,
    });
    response.end(body === undefined ? '' : JSON.stringify(body));
  };

  const authorised = (hook: string, authorization: string | undefined): boolean => {
    const [scheme, credential] = (authorization ?? '').split(' ');
    if (!credential || !/^bearer$/i.test(scheme ?? '')) return false;
    if (hook !== '/app/hook' && options.tokens?.includes(credential)) return true;
    return hook === '/app/hook' && publicKey !== undefined && validJwt(credential, publicKey, options.app!.appId);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', double.url);
    const received: ReceivedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
    };
    double.requests.push(received);
    request.resume();
    const route = /^(\/app\/hook|\/repos\/[^/]+\/[^/]+\/hooks\/\d+|\/orgs\/[^/]+\/hooks\/\d+)\/deliveries(?:\/(\d+)\/attempts)?$/.exec(url.pathname);
    if (!route) return send(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const [, hook, attemptId] = route as unknown as [string, string, string | undefined];
    if (!authorised(hook, request.headers.authorization)) {
      return send(response, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const scriptIndex = scripted.findIndex((answer) => answer.method === undefined || answer.method === received.method);
    if (scriptIndex >= 0) {
      const [answer] = scripted.splice(scriptIndex, 1);
      return send(response, answer!.status, answer!.body, answer!.headers);
    }
    const list = hooks.get(hook) ?? [];
    if (request.method === 'POST' && attemptId) {
      const original = list.find((item) => String(item.id) === attemptId);
      if (!original) return send(response, 404, { message: 'Not Found' });
      double.redeliveries.push({ hook, id: Number(original.id), guid: original.guid });
      // GitHub answers 202 at once and makes the new attempt afterwards.
      double.addAttempt(hook, {
        guid: original.guid,
        event: original.event,
        action: original.action,
        redelivery: true,
        status_code: double.redeliveryStatusCode,
        status: double.redeliveryStatusCode < 300 ? 'OK' : 'Invalid HTTP Response: 503',
      });
      return send(response, 202, {});
    }
    if (request.method !== 'GET' || attemptId) return send(response, 404, { message: 'Not Found' });
    if (hold) await hold;
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const cursor = url.searchParams.get('cursor');
    const after = cursor ? Number(/^v1_(\d+)$/.exec(cursor)?.[1]) : Number.POSITIVE_INFINITY;
    if (Number.isNaN(after)) return send(response, 422, { message: 'Validation Failed', errors: [{ field: 'cursor', code: 'invalid' }] });
    const rest = list.filter((item) => Number(item.id) < after);
    const page = rest.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (rest.length > perPage) {
      const next = new URL(url.pathname, double.url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('cursor', `v1_${page[page.length - 1]!.id}`);
      headers.link = `<${next}>; rel="next"`;
    }
    return send(response, 200, page, headers);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  double.url = `http://127.0.0.1:${port}`;
  double.graphqlUrl = `${double.url}/graphql`;
  return double;
}

function validJwt(token: string, publicKey: KeyObject, appId: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number };
  return String(claims.iss) === appId && typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
}
