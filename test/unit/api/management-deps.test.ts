import type { RouterContext } from '@koa/router';
import { expect } from 'chai';
import { requestLogger } from '../../../src/api/management-deps.js';
import { captureLogger } from '../../helpers/capture-logger.js';

/** The one part of a router context requestLogger reads: the state requestContext filled. */
const contextWith = (state: Record<string, unknown>) => ({ state }) as unknown as RouterContext;

describe('requestLogger', () => {
  it('tags the request’s own logger, keeping its correlation id', () => {
    const captured = captureLogger();
    const requestLog = captured.logger.child({ correlation_id: 'req-9' }, true);
    requestLogger(contextWith({ log: requestLog }), captureLogger().logger).info('task retried');
    expect(captured.records().map((line) => [line.msg, line.correlation_id, line.component])).to.deep.equal([
      ['task retried', 'req-9', 'management-api'],
    ]);
  });

  it('falls back to the given logger outside a request context', () => {
    const fallback = captureLogger();
    expect(requestLogger(contextWith({}), fallback.logger)).to.equal(fallback.logger);
  });
});
