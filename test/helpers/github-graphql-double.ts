import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addMocksToSchema, type IMocks } from '@graphql-tools/mock';
import { schema as githubSchema } from '@octokit/graphql-schema';
import {
  GraphQLError,
  buildClientSchema,
  execute,
  isScalarType,
  isSpecifiedScalarType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** Resolvers laid over the mocks, as `addMocksToSchema` takes them (plain objects get mocked further). */
export type DoubleResolvers = Parameters<typeof addMocksToSchema>[0]['resolvers'];

/** One GraphQL request as the double received it. */
export interface GraphqlRequestRecord {
  path: string;
  headers: IncomingHttpHeaders;
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Whether the document parsed, validated against GitHub's schema and executed with its variables. */
  valid: boolean;
}

/** A query GitHub would have refused, with graphql-js's reasons. */
export interface InvalidQueryRecord {
  query: string;
  operationName: string | undefined;
  errors: string[];
}

/** One `POST /app/installations/:id/access_tokens`. */
export interface TokenRequestRecord {
  path: string;
  installationId: number;
  authorization: string | undefined;
  /** The installation token issued, or undefined when the JWT was refused. */
  token: string | undefined;
}

export interface GithubGraphqlDoubleOptions {
  mocks?: IMocks;
  resolvers?: DoubleResolvers;
  /** The App's public key: access-token requests must then carry an RS256 JWT it verifies. */
  appPublicKey?: KeyObject | string;
  /** Initial rate-limit state; `resetAt` in epoch seconds (default: an hour from start). */
  rateLimit?: { limit?: number; remaining?: number; resetAt?: number };
}

export interface GithubGraphqlDouble {
  /** github.com-style endpoint: http://127.0.0.1:port/graphql (REST at the root). */
  url: string;
  /** GitHub Enterprise Server-style endpoint: http://127.0.0.1:port/api/graphql (REST under /api/v3). */
  enterpriseUrl: string;
  requests: GraphqlRequestRecord[];
  invalidQueries: InvalidQueryRecord[];
  tokenRequests: TokenRequestRecord[];
  /** Replaces the mocks (and resolvers) answers are generated from. */
  setMocks(mocks: IMocks, resolvers?: DoubleResolvers): void;
  /** The next `count` GraphQL requests answer HTTP 200 with a `RATE_LIMITED` error; false stops. */
  setRateLimited(count: number | false): void;
  /** Sets the rate-limit headers' state; false stops sending them. `remaining` counts down per request. */
  setRateLimitHeaders(state: { remaining: number; resetAt?: number; limit?: number } | false): void;
  /** Every GraphQL request answers `status` (with `headers`) until called with false. */
  setFailure(status: number | false, headers?: Record<string, string>): void;
  /** Delays every GraphQL answer. */
  setLatencyMs(ms: number): void;
  close(): Promise<void>;
}

/** An error a resolver throws to answer like GitHub does: `{ type, message, path, locations }`. */
export function githubGraphqlError(type: string, message: string): Error {
  return Object.assign(new Error(message), { type });
}

let cachedSchema: GraphQLSchema | undefined;

/**
 * GitHub's published schema (@octokit/graphql-schema), built once per process. Built from the
 * introspection JSON: the published SDL repeats some fields and does not build as is.
 */
export function githubGraphqlSchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(githubSchema.json as unknown as IntrospectionQuery);
  return cachedSchema;
}

/** Mocks for GitHub's custom scalars and plausible numbers; callers' mocks override them. */
function defaultMocks(schema: GraphQLSchema): IMocks {
  let counter = 0;
  const mocks: IMocks = {
    Int: () => 1 + Math.floor(Math.random() * 100),
    GitObjectID: () => randomBytes(20).toString('hex'),
    DateTime: () => new Date(Date.UTC(2024, 0, 1) + (counter += 1) * 60_000).toISOString(),
    URI: () => `https://github.example/mock/${(counter += 1)}`,
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isScalarType(type) && !isSpecifiedScalarType(type) && !(type.name in mocks)) {
      mocks[type.name] = () => `mock-${type.name}`;
    }
  }
  return mocks;
}

/**
 * A loopback stand-in for GitHub's GraphQL API (and the one REST call App auth makes). Every query
 * is parsed and validated against GitHub's published schema; an invalid one is answered as GitHub
 * does (HTTP 200 with `errors`) and recorded in `invalidQueries`. Valid queries execute against
 * mocks of that schema, which tests override. Answers carry `x-ratelimit-*` headers.
 */
export async function startGithubGraphqlDouble(options: GithubGraphqlDoubleOptions = {}): Promise<GithubGraphqlDouble> {
  const schema = githubGraphqlSchema();
  const baseMocks = defaultMocks(schema);
  let mocked = addMocksToSchema({ schema, mocks: { ...baseMocks, ...options.mocks }, resolvers: options.resolvers });
  let rateLimited = 0;
  let failure: { status: number; headers: Record<string, string> } | undefined;
  let latencyMs = 0;
  let issued = 0;
  let rateLimit: { limit: number; remaining: number; resetAt: number } | undefined = {
    limit: options.rateLimit?.limit ?? 5000,
    remaining: options.rateLimit?.remaining ?? 4999,
    resetAt: options.rateLimit?.resetAt ?? Math.floor(Date.now() / 1000) + 3600,
  };

  const requests: GraphqlRequestRecord[] = [];
  const invalidQueries: InvalidQueryRecord[] = [];
  const tokenRequests: TokenRequestRecord[] = [];

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };

  const rateLimitHeaders = (exhausted: boolean): Record<string, string> => {
    if (!rateLimit) return {};
    if (exhausted) rateLimit.remaining = 0;
    else rateLimit.remaining = Math.max(0, rateLimit.remaining - 1);
    return {
      'x-ratelimit-limit': String(rateLimit.limit),
      'x-ratelimit-remaining': String(rateLimit.remaining),
      'x-ratelimit-reset': String(rateLimit.resetAt),
      'x-ratelimit-used': String(rateLimit.limit - rateLimit.remaining),
      'x-ratelimit-resource': 'graphql',
    };
  };

  async function handleGraphql(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const raw = await readBody(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (!request.headers.authorization) {
      send(response, 401, { message: 'This endpoint requires you to be authenticated.' });
      return;
    }
    let body: { query?: unknown; operationName?: unknown; variables?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      send(response, 400, { message: 'Problems parsing JSON' });
      return;
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const record: GraphqlRequestRecord = { path, headers: request.headers, query, operationName, variables, valid: false };
    requests.push(record);

    const refuse = (errors: readonly GraphQLError[]): void => {
      invalidQueries.push({ query, operationName, errors: errors.map((error) => error.message) });
      send(response, 200, { errors: errors.map((error) => error.toJSON()) }, rateLimitHeaders(false));
    };
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      refuse([error instanceof GraphQLError ? error : new GraphQLError(String(error))]);
      return;
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) {
      refuse(validationErrors);
      return;
    }
    const result = await execute({ schema: mocked, document, variableValues: variables, operationName });
    if (!('data' in result) || result.data === undefined) {
      // Variables that do not fit the operation, or an unknown operationName: refused before execution.
      refuse(result.errors ?? []);
      return;
    }
    record.valid = true;

    if (failure) {
      send(response, failure.status, { message: 'Server Error' }, { ...rateLimitHeaders(false), ...failure.headers });
      return;
    }
    if (rateLimited > 0) {
      rateLimited -= 1;
      send(
        response,
        200,
        { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] },
        rateLimitHeaders(true),
      );
      return;
    }
    const errors = result.errors?.map((error) => {
      const type = (error.originalError as { type?: unknown } | undefined)?.type;
      return typeof type === 'string' ? { type, ...error.toJSON() } : error.toJSON();
    });
    send(response, 200, errors ? { data: result.data, errors } : { data: result.data }, rateLimitHeaders(false));
  }

  async function handleAccessToken(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    installationId: number,
  ): Promise<void> {
    await readBody(request);
    const authorization = request.headers.authorization;
    const jwt = authorization?.replace(/^bearer\s+/i, '');
    if (options.appPublicKey !== undefined && (!jwt || !verifiesRs256(jwt, options.appPublicKey))) {
      tokenRequests.push({ path, installationId, authorization, token: undefined });
      send(response, 401, { message: 'A JSON web token could not be decoded' });
      return;
    }
    issued += 1;
    const token = `ghs_double${installationId}x${issued}`;
    tokenRequests.push({ path, installationId, authorization, token });
    send(response, 201, {
      token,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { checks: 'read', contents: 'read', pull_requests: 'read' },
      repository_selection: 'all',
    });
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://double').pathname;
    const token = /^(?:\/api\/v3)?\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    let handled: Promise<void>;
    if (request.method === 'POST' && (path === '/graphql' || path === '/api/graphql')) {
      handled = handleGraphql(request, response, path);
    } else if (request.method === 'POST' && token) {
      handled = handleAccessToken(request, response, path, Number(token[1]));
    } else {
      handled = readBody(request).then(() => send(response, 404, { message: 'Not Found' }));
    }
    handled.catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    enterpriseUrl: `http://127.0.0.1:${port}/api/graphql`,
    requests,
    invalidQueries,
    tokenRequests,
    setMocks(mocks, resolvers) {
      mocked = addMocksToSchema({ schema, mocks: { ...baseMocks, ...mocks }, resolvers });
    },
    setRateLimited(count) {
      rateLimited = count === false ? 0 : count;
    },
    setRateLimitHeaders(state) {
      rateLimit =
        state === false
          ? undefined
          : {
              limit: state.limit ?? 5000,
              // Each answer counts itself, as GitHub's do: the next one reports `remaining`.
              remaining: state.remaining + 1,
              resetAt: state.resetAt ?? Math.floor(Date.now() / 1000) + 3600,
            };
    },
    setFailure(status, headers = {}) {
      failure = status === false ? undefined : { status, headers };
    },
    setLatencyMs(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function verifiesRs256(jwt: string, publicKey: KeyObject | string): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  return verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
}
