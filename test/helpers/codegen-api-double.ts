import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A run held by the double, in Codegen's AgentRunResponse field names plus test bookkeeping. */
export interface DoubleRun {
  id: number;
  organization_id: number;
  status: string;
  created_at: string;
  web_url: string;
  result: string | null;
  summary: string | null;
  source_type: 'API';
  github_pull_requests: Array<{ id: number; title: string; url: string; created_at: string; head_branch_name: string }> | null;
  metadata: Record<string, unknown> | null;
  prompt: string;
  /** Statuses still to be reported, one per GET; the last one sticks. */
  sequence: string[];
}

/** One request as the double received it (the Authorization header included, for assertions). */
export interface DoubleRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The status the double answered. */
  status: number;
}

export interface CodegenDoubleOptions {
  orgId?: number;
  token?: string;
  /** Server-side limits; Codegen's documented ones by default. */
  createLimit?: { limit: number; windowMs: number };
  readLimit?: { limit: number; windowMs: number };
  now?: () => number;
}

export interface CodegenDouble {
  url: string;
  orgId: string;
  token: string;
  runs: Map<number, DoubleRun>;
  requests: DoubleRequest[];
  close(): Promise<void>;
  /**
   * The next `count` authorised requests (default 1) answer `status`, with Codegen's documented
   * body for that status unless `init.body` is given.
   */
  failNext(status: number, count?: number, init?: { headers?: Record<string, string>; body?: unknown }): void;
  /** Forgets failures queued by failNext: the API recovers. */
  clearFailures(): void;
  setLatencyMs(ms: number): void;
  /** Moves a run to a final status (default `COMPLETE`) with a result, a summary and a pull request. */
  completeRun(id: number, status?: string): void;
  /** Statuses reported by successive GETs of `id`, or of every run created afterwards when omitted. */
  setStatusSequence(statuses: string[], id?: number): void;
}

const DOCUMENTED_BODIES: Record<number, unknown> = {
  402: { message: 'Alloted agent runs for the current billing plan have been reached. Please upgrade your plan to continue.', status_code: 402 },
  403: { message: 'You do not have access to this organization.', status_code: 403 },
  404: { message: 'Agent run not found.', status_code: 404 },
  429: { message: 'Rate limit exceeded. Please try again later.', status_code: 429 },
};

/**
 * A loopback Codegen API following the documented shapes: Bearer auth (401 otherwise), the org id
 * in the path (403 for another org, 422 when not an integer), FastAPI-style 422s for a bad body,
 * Codegen's rate limits enforced server-side (429), and runs whose status tests control.
 */
export async function startCodegenDouble(options: CodegenDoubleOptions = {}): Promise<CodegenDouble> {
  const orgId = options.orgId ?? 4242;
  const token = options.token ?? 'cg-test-token-5f2b9c1e';
  const now = options.now ?? Date.now;
  const windows = {
    create: { ...(options.createLimit ?? { limit: 10, windowMs: 60_000 }), hits: [] as number[] },
    read: { ...(options.readLimit ?? { limit: 60, windowMs: 30_000 }), hits: [] as number[] },
  };
  const runs = new Map<number, DoubleRun>();
  const requests: DoubleRequest[] = [];
  const failures: Array<{ status: number; headers: Record<string, string>; body: unknown }> = [];
  let latencyMs = 0;
  let nextId = 1000;
  let defaultSequence: string[] = [];

  function admit(kind: keyof typeof windows): number | undefined {
    const window = windows[kind];
    const t = now();
    window.hits = window.hits.filter((hit) => hit > t - window.windowMs);
    if (window.hits.length >= window.limit) {
      return Math.ceil(((window.hits[0] ?? t) + window.windowMs - t) / 1000);
    }
    window.hits.push(t);
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const path = new URL(req.url ?? '/', 'http://double').pathname;
    const record: DoubleRequest = { method: req.method ?? '', path, headers: req.headers, body: undefined, status: 0 };
    requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };

    if (req.headers.authorization !== `Bearer ${token}`) return answer(401, { detail: 'Invalid or missing API token' });
    const list = /^\/v1\/organizations\/([^/]+)\/agent\/runs$/.exec(path);
    if (req.method === 'GET' && list) {
      // List Agent Runs: newest first, skip/limit pagination, same read limit as the other reads.
      const retryAfterList = admit('read');
      if (retryAfterList !== undefined) return answer(429, DOCUMENTED_BODIES[429], { 'retry-after': String(retryAfterList) });
      if (Number(list[1]) !== orgId) return answer(403, DOCUMENTED_BODIES[403]);
      const params = new URL(req.url ?? '/', 'http://double').searchParams;
      const skip = Number(params.get('skip') ?? 0);
      const limit = Math.min(Number(params.get('limit') ?? 100), 100);
      const newest = [...runs.values()].sort((a, b) => b.id - a.id);
      const items = newest.slice(skip, skip + limit).map(publicView);
      return answer(200, { items, total: newest.length, page: Math.floor(skip / limit) + 1, size: limit, pages: Math.ceil(newest.length / limit) });
    }
    const match = /^\/v1\/organizations\/([^/]+)\/agent\/run(?:\/([^/]+))?$/.exec(path);
    const isCreate = req.method === 'POST' && match !== null && match[2] === undefined;
    const isGet = req.method === 'GET' && match !== null && match[2] !== undefined;
    if (!match || (!isCreate && !isGet)) return answer(404, { detail: 'Not Found' });
    const retryAfter = admit(isCreate ? 'create' : 'read');
    if (retryAfter !== undefined) return answer(429, DOCUMENTED_BODIES[429], { 'retry-after': String(retryAfter) });
    const failure = failures.shift();
    if (failure) return answer(failure.status, failure.body, failure.headers);
    if (!/^\d+$/.test(match[1] ?? '')) return answer(422, validation(['path', 'org_id'], 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer'));
    if (Number(match[1]) !== orgId) return answer(403, DOCUMENTED_BODIES[403]);

    if (isGet) {
      if (!/^\d+$/.test(match[2] ?? '')) return answer(422, validation(['path', 'agent_run_id'], 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer'));
      const run = runs.get(Number(match[2]));
      if (!run) return answer(404, DOCUMENTED_BODIES[404]);
      const next = run.sequence.shift();
      if (next !== undefined) run.status = next;
      return answer(200, publicView(run));
    }

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(422, validation(['body', 0], 'json_invalid', 'JSON decode error'));
    }
    record.body = body;
    const problem = validateCreate(body);
    if (problem) return answer(422, problem);
    const input = body as { prompt: string; metadata?: Record<string, unknown> | null };
    const id = nextId++;
    const sequence = [...defaultSequence];
    const run: DoubleRun = {
      id,
      organization_id: orgId,
      status: 'ACTIVE',
      created_at: new Date(now()).toISOString(),
      web_url: `https://codegen.com/agent/trace/${id}`,
      result: null,
      summary: null,
      source_type: 'API',
      github_pull_requests: null,
      metadata: input.metadata ?? null,
      prompt: input.prompt,
      sequence,
    };
    runs.set(id, run);
    return answer(200, publicView(run));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    orgId: String(orgId),
    token,
    runs,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    failNext(status, count = 1, init = {}) {
      const body = init.body ?? DOCUMENTED_BODIES[status] ?? { detail: 'Internal Server Error' };
      for (let i = 0; i < count; i++) failures.push({ status, headers: init.headers ?? {}, body });
    },
    clearFailures() {
      failures.length = 0;
    },
    setLatencyMs(ms) {
      latencyMs = ms;
    },
    completeRun(id, status = 'COMPLETE') {
      const run = runs.get(id);
      if (!run) throw new Error(`codegen double: no run ${id}`);
      run.status = status;
      run.sequence = [];
      run.summary = `Run ${id} ended with ${status}`;
      run.result = `Result of run ${id}`;
      run.github_pull_requests = [
        { id: id * 10, title: `Fix from run ${id}`, url: `https://github.com/octo/repo/pull/${id}`, created_at: new Date(now()).toISOString(), head_branch_name: `codegen-bot/fix-${id}` },
      ];
    },
    setStatusSequence(statuses, id) {
      if (id === undefined) {
        defaultSequence = [...statuses];
        return;
      }
      const run = runs.get(id);
      if (!run) throw new Error(`codegen double: no run ${id}`);
      run.sequence = [...statuses];
    },
  };
}

function publicView(run: DoubleRun): Record<string, unknown> {
  const { prompt: _prompt, sequence: _sequence, ...view } = run;
  return view;
}

function validateCreate(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return validation(['body'], 'model_attributes_type', 'Input should be a valid dictionary or object to extract fields from');
  }
  const input = body as Record<string, unknown>;
  if (!('prompt' in input)) return validation(['body', 'prompt'], 'missing', 'Field required');
  if (typeof input.prompt !== 'string') return validation(['body', 'prompt'], 'string_type', 'Input should be a valid string');
  if (input.prompt.trim() === '') return validation(['body', 'prompt'], 'string_too_short', 'String should have at least 1 character');
  const metadata = input.metadata;
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    return validation(['body', 'metadata', 'dict[str,any]'], 'dict_type', 'Input should be a valid dictionary');
  }
  if (input.repo_id !== undefined && input.repo_id !== null && !Number.isInteger(input.repo_id)) {
    return validation(['body', 'repo_id', 'int'], 'int_type', 'Input should be a valid integer');
  }
  if (input.model !== undefined && input.model !== null && typeof input.model !== 'string') {
    return validation(['body', 'model', 'str'], 'string_type', 'Input should be a valid string');
  }
  return undefined;
}

function validation(loc: Array<string | number>, type: string, msg: string): { detail: unknown[] } {
  return { detail: [{ type, loc, msg }] };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
