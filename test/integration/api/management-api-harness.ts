import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sinon from 'sinon';
import { createDocsRouter } from '../../../src/api/docs-router.js';
import { createManagementRouter } from '../../../src/api/management-router.js';
import type { ManagementPorts } from '../../../src/api/management-ports.js';
import type { TaskTransitionListener } from '../../../src/effects/db/task-store.js';
import { createApp } from '../../../src/ingress/create-app.js';
import { createShutdownGate } from '../../../src/ingress/shutdown-gate.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';

export const API_TOKEN = 'test-api-token-0123456789abcdef';

/** The injected ports as sinon fakes, replaced per test as needed. */
export interface FakePorts {
  requeueTask: sinon.SinonStub<Parameters<ManagementPorts['requeueTask']>, ReturnType<ManagementPorts['requeueTask']>>;
  replayDelivery: sinon.SinonStub<Parameters<ManagementPorts['replayDelivery']>, ReturnType<ManagementPorts['replayDelivery']>>;
  listDeadLetters: sinon.SinonStub<Parameters<ManagementPorts['listDeadLetters']>, ReturnType<ManagementPorts['listDeadLetters']>>;
  redriveDeadLetter: sinon.SinonStub<Parameters<ManagementPorts['redriveDeadLetter']>, ReturnType<ManagementPorts['redriveDeadLetter']>>;
  readDeliveryMessage: sinon.SinonStub<Parameters<ManagementPorts['readDeliveryMessage']>, ReturnType<ManagementPorts['readDeliveryMessage']>>;
  readRuntimeState: sinon.SinonStub<Parameters<ManagementPorts['readRuntimeState']>, ReturnType<ManagementPorts['readRuntimeState']>>;
}

/** An HTTP answer with its body parsed as JSON when it is JSON. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** The management API and the docs, on a real HTTP server over the test database. */
export interface ApiHarness {
  url: string;
  ports: FakePorts;
  onTransition: sinon.SinonSpy<Parameters<TaskTransitionListener>, void>;
  lines: string[];
  /** `token`: default API_TOKEN; null sends no Authorization header. */
  call<T = any>(method: string, path: string, options?: { token?: string | null; authorization?: string }): Promise<Answer<T>>;
  close(): Promise<void>;
}

/** Starts createApp with the management and docs routers, as service.ts mounts them. */
export async function startApiHarness(db: TestDatabase, options: { apiToken?: string | undefined } = {}): Promise<ApiHarness> {
  const apiToken = 'apiToken' in options ? options.apiToken : API_TOKEN;
  // No secrets to redact: the logs must not contain the token in the first place.
  const { logger, lines } = captureLogger();
  const ports: FakePorts = {
    requeueTask: sinon.stub<Parameters<ManagementPorts['requeueTask']>, ReturnType<ManagementPorts['requeueTask']>>().resolves(undefined),
    replayDelivery: sinon.stub<Parameters<ManagementPorts['replayDelivery']>, ReturnType<ManagementPorts['replayDelivery']>>(),
    listDeadLetters: sinon.stub<Parameters<ManagementPorts['listDeadLetters']>, ReturnType<ManagementPorts['listDeadLetters']>>(),
    redriveDeadLetter: sinon.stub<Parameters<ManagementPorts['redriveDeadLetter']>, ReturnType<ManagementPorts['redriveDeadLetter']>>(),
    readDeliveryMessage: sinon.stub<Parameters<ManagementPorts['readDeliveryMessage']>, ReturnType<ManagementPorts['readDeliveryMessage']>>(),
    readRuntimeState: sinon
      .stub<Parameters<ManagementPorts['readRuntimeState']>, ReturnType<ManagementPorts['readRuntimeState']>>()
      .resolves({ breakers: [], consumers: [] }),
  };
  const onTransition = sinon.spy(((_taskType, _status) => undefined) as TaskTransitionListener);
  const app = createApp({
    logger,
    shutdownGate: createShutdownGate(),
    routers: [
      createManagementRouter({ orm: db.orm, apiToken, logger, onTransition, ...ports }),
      createDocsRouter(),
    ],
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ports,
    onTransition,
    lines,
    async call(method, path, callOptions = {}) {
      const token = callOptions.token === undefined ? API_TOKEN : callOptions.token;
      const headers: Record<string, string> = {};
      if (callOptions.authorization !== undefined) headers.authorization = callOptions.authorization;
      else if (token !== null) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${url}${path}`, { method, headers });
      const text = await response.text();
      const json = (response.headers.get('content-type') ?? '').includes('json');
      return { status: response.status, headers: response.headers, text, body: json ? JSON.parse(text) : undefined };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The API's task and delivery fields, for exact key-set assertions. */
export const TASK_FIELDS = [
  'id', 'task_type', 'status', 'repository', 'delivery_id', 'event_type', 'action', 'pull_request_number',
  'head_sha', 'attempt_count', 'last_error', 'reason', 'codegen_run', 'created_at', 'updated_at',
];
export const TASK_DETAIL_FIELDS = [...TASK_FIELDS, 'findings', 'codegen_result', 'attempts'];
export const ATTEMPT_FIELDS = ['number', 'started_at', 'finished_at', 'outcome', 'error'];
export const DELIVERY_FIELDS = [
  'delivery_id', 'event_type', 'action', 'repository', 'installation_id', 'hook_id', 'stream_seq', 'outcome',
  'received_at', 'processed_at', 'error',
];
export const ERROR_FIELDS = ['code', 'message', 'correlation_id'];

/**
 * Registers the usual mocha hooks of an API test file: one test database for the suite (seeded
 * once by `seed`), a fresh harness (with fresh port fakes) per test, both closed afterwards.
 */
export function useApiHarness(seed: (db: TestDatabase) => Promise<void> = async () => undefined): { db(): TestDatabase; api(): ApiHarness } {
  let db: TestDatabase | undefined;
  let api: ApiHarness | undefined;
  before(async () => {
    db = await createTestDatabase();
    await seed(db);
  });
  beforeEach(async () => {
    api = await startApiHarness(db!);
  });
  afterEach(async () => {
    await api?.close();
  });
  after(async () => {
    await db?.close();
  });
  return { db: () => db!, api: () => api! };
}
