import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createCodegenTransport, type CodegenTransportOptions } from '../../../../src/effects/codegen/codegen-transport.js';
import { AppError } from '../../../../src/errors/app-error.js';
import { isRetryable } from '../../../../src/errors/classify.js';
import { startCodegenDouble, type CodegenDouble } from '../../../helpers/codegen-api-double.js';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected the promise to reject').to.be.instanceOf(AppError);
  return error as AppError;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const asIs = (body: unknown) => body;

describe('createCodegenTransport', () => {
  let double: CodegenDouble;
  const transport = (overrides: Partial<CodegenTransportOptions> = {}) =>
    createCodegenTransport({ apiUrl: `${double.url}//`, token: double.token, orgId: double.orgId, ...overrides });

  beforeEach(async () => {
    double = await startCodegenDouble();
  });
  afterEach(() => double.close());

  it('sends a POST of JSON with the Bearer token under the organisation, and gives back what parse made of the answer', async () => {
    const id = await transport().request('create_run', '/agent/run', { prompt: 'Fix it' }, (body) => (body as { id: number }).id);
    const { id: readId } = await transport().request('get_run', `/agent/run/${id}`, undefined, (body) => body as { id: number });

    expect(readId).to.equal(id);
    expect(double.requests.map((request) => [request.method, request.path, request.headers.authorization, request.headers['content-type']])).to.deep.equal([
      ['POST', `/v1/organizations/${double.orgId}/agent/run`, `Bearer ${double.token}`, 'application/json'],
      ['GET', `/v1/organizations/${double.orgId}/agent/run/${id}`, `Bearer ${double.token}`, undefined],
    ]);
    expect(double.requests[0]?.body).to.deep.equal({ prompt: 'Fix it' });
  });

  it('is not configured without a token or an organisation id, and then sends nothing', async () => {
    const withoutToken = transport({ token: undefined });
    const error = await rejection(withoutToken.request('get_run', '/agent/run/1', undefined, asIs));

    expect([withoutToken.configured, transport({ orgId: '' }).configured, transport().configured]).to.deep.equal([false, false, true]);
    expect(error.code).to.equal('not_configured');
    expect(double.requests).to.deep.equal([]);
  });

  it('fails with dependency_failed on a 5xx without echoing the body, and on a network error (a create’s outcome then unknown)', async () => {
    double.failNext(500, 1, { body: { detail: 'stack trace with internals' } });
    const serverError = await rejection(transport().request('get_run', '/agent/run/1', undefined, asIs));
    const networkError = await rejection(transport({ apiUrl: await closedPortUrl() }).request('create_run', '/agent/run', { prompt: 'x' }, asIs));
    const networkRead = await rejection(transport({ apiUrl: await closedPortUrl() }).request('get_run', '/agent/run/1', undefined, asIs));

    expect(serverError.code).to.equal('dependency_failed');
    expect(serverError.message).to.equal('Codegen answered HTTP 500 on get_run');
    expect(isRetryable(serverError)).to.equal(true);
    expect(networkError.code).to.equal('dependency_failed');
    expect(networkError.details).to.deep.equal({ operation: 'create_run', outcomeUnknown: true });
    expect(networkRead.details).to.deep.equal({ operation: 'get_run', outcomeUnknown: false });
  });

  it('fails with dependency_timeout when Codegen does not answer within timeoutMs', async () => {
    double.setLatencyMs(1_000);

    const error = await rejection(transport({ timeoutMs: 100 }).request('create_run', '/agent/run', { prompt: 'x' }, asIs));

    expect(error.code).to.equal('dependency_timeout');
    expect(error.message).to.equal('Codegen create_run timed out after 100 ms');
    expect(error.details?.outcomeUnknown).to.equal(true);
    // The double records a request only once its latency has passed: the transport gave up before the answer existed.
    expect(double.requests).to.have.length(0);
  });

  it('maps a 429 without Retry-After to rate_limited for the operation’s documented window', async () => {
    double.failNext(429, 2);
    const create = await rejection(transport().request('create_run', '/agent/run', { prompt: 'x' }, asIs));
    const read = await rejection(transport().request('get_run', '/agent/run/1', undefined, asIs));

    expect([create.code, create.retryAfterSeconds, read.code, read.retryAfterSeconds]).to.deep.equal(['rate_limited', 60, 'rate_limited', 30]);
  });

  it('fails with dependency_failed when a 2xx answer is not what parse expects', async () => {
    const error = await rejection(transport().request('create_run', '/agent/run', { prompt: 'x' }, () => undefined));

    expect(error.code).to.equal('dependency_failed');
    expect(error.message).to.equal('Codegen create_run answered HTTP 200 with an unexpected body');
    expect(error.details).to.deep.equal({ operation: 'create_run', httpStatus: 200 });
  });
});
