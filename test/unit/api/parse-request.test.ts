import { expect } from 'chai';
import { z } from 'zod';
import { parseRequest } from '../../../src/api/parse-request.js';
import { NO_PARAMETERS } from '../../../src/api/schemas/common-schemas.js';
import { taskListQuery, taskPathParams } from '../../../src/api/schemas/task-schemas.js';
import { AppError } from '../../../src/errors/app-error.js';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a validation_failed AppError');
}

describe('parseRequest', () => {
  const list = { params: NO_PARAMETERS, query: taskListQuery };

  it('applies the documented defaults and converts numbers', () => {
    expect(parseRequest(list, { params: {}, query: {} }).query).to.deep.equal({ limit: 50, offset: 0 });
    expect(parseRequest(list, { params: {}, query: { limit: '1000', offset: '7', status: 'dead' } }).query).to.deep.equal({
      limit: 1000,
      offset: 7,
      status: 'dead',
    });
  });

  it('treats empty values as not given', () => {
    expect(parseRequest(list, { params: {}, query: { limit: '', status: '' } }).query).to.deep.equal({ limit: 50, offset: 0 });
  });

  it('refuses with validation_failed naming the parameter', () => {
    const error = refusal(() => parseRequest(list, { params: {}, query: { limit: '1001' } }));
    expect(error.code).to.equal('validation_failed');
    expect(error.status).to.equal(400);
    expect(error.message).to.equal('limit: must be at most 1000');
  });

  it('lists every problem, path parameters first', () => {
    const both = { params: taskPathParams, query: z.strictObject({ limit: taskListQuery.shape.limit }) };
    const error = refusal(() => parseRequest(both, { params: { id: 'x' }, query: { limit: '0', extra: '1', more: '2' } }));
    expect(error.message).to.equal('id: must be a UUID; limit: must be at least 1; extra, more: unknown query parameters');
  });

  it('refuses a parameter given twice rather than pick one of its values', () => {
    const error = refusal(() => parseRequest(list, { params: {}, query: { status: ['failed', 'dead'] } }));
    expect(error.message).to.equal('status: must be given at most once');
  });

  it('words enum and unknown-parameter problems for people', () => {
    expect(refusal(() => parseRequest(list, { params: {}, query: { task_type: 'x' } })).message).to.equal(
      'task_type: must be one of pull_request_analysis, check_failure_analysis, check_suite_failure_analysis, push_analysis, codegen_trigger',
    );
    expect(refusal(() => parseRequest(list, { params: {}, query: { page: '2' } })).message).to.equal('page: unknown query parameter');
  });

  it('accepts any UUID PostgreSQL accepts as a task id', () => {
    const id = '00000000-0000-0000-0000-000000000001';
    expect(parseRequest({ params: taskPathParams, query: NO_PARAMETERS }, { params: { id }, query: {} }).params).to.deep.equal({ id });
  });
});
