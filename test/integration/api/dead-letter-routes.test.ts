import { expect } from 'chai';
import type { DeadLetterView } from '../../../src/contracts/management-views.js';
import { deadLetterListSchema, redriveAcceptedSchema } from '../../../src/api/schemas/dead-letter-schemas.js';
import { AppError } from '../../../src/errors/app-error.js';
import { useApiHarness } from './management-api-harness.js';

const DEAD_LETTER_FIELDS = ['id', 'stream', 'consumer', 'subject', 'delivery_id', 'task_id', 'reason', 'failed_at'];

const deadLetter: DeadLetterView = {
  id: '7',
  stream: 'GITHUB',
  consumer: 'pull_request',
  subject: 'github.pull_request.opened',
  delivery_id: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  task_id: null,
  reason: 'permanent_failure: payload has no repository',
  failed_at: '2025-06-01T12:00:00.000Z',
};

describe('/api/v1/dead-letters', function () {
  this.timeout(30_000);
  const harness = useApiHarness();
  const api = () => harness.api();

  it('lists the page listDeadLetters returns, with the limit and offset it was asked for', async () => {
    api().ports.listDeadLetters.resolves({ dead_letters: [deadLetter], total: 31 });
    const answer = await api().call('GET', '/api/v1/dead-letters?limit=10&offset=20');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({ dead_letters: [deadLetter], total: 31, limit: 10, offset: 20 });
    expect(Object.keys(answer.body.dead_letters[0])).to.have.members(DEAD_LETTER_FIELDS);
    expect(() => deadLetterListSchema.parse(answer.body)).not.to.throw();
    expect(api().ports.listDeadLetters.calledOnceWithExactly({ limit: 10, offset: 20 })).to.equal(true);
  });

  it('asks for the default page when none is given', async () => {
    api().ports.listDeadLetters.resolves({ dead_letters: [], total: 0 });
    const answer = await api().call('GET', '/api/v1/dead-letters');
    expect(answer.body).to.deep.equal({ dead_letters: [], total: 0, limit: 50, offset: 0 });
    expect(api().ports.listDeadLetters.calledOnceWithExactly({ limit: 50, offset: 0 })).to.equal(true);
  });

  it('refuses a bad page or an unknown parameter with 400 before asking the bus', async () => {
    for (const [query, message] of [
      ['limit=1001', 'limit: must be at most 1000'],
      ['offset=x', 'offset: must be a whole number'],
      ['stream=GITHUB', 'stream: unknown query parameter'],
    ]) {
      const answer = await api().call('GET', `/api/v1/dead-letters?${query}`);
      expect(answer.status).to.equal(400);
      expect(answer.body.error.message).to.include(message);
    }
    expect(api().ports.listDeadLetters.called).to.equal(false);
  });

  it('redrives a dead letter by its DLQ sequence: 202 with where it went', async () => {
    api().ports.redriveDeadLetter.resolves({ stream: 'GITHUB', subject: 'github.pull_request.opened', seq: 1201 });
    const answer = await api().call('POST', '/api/v1/dead-letters/7/redrive');
    expect(answer.status).to.equal(202);
    expect(answer.body).to.deep.equal({ status: 'queued', id: '7', stream: 'GITHUB', subject: 'github.pull_request.opened', seq: 1201 });
    expect(() => redriveAcceptedSchema.parse(answer.body)).not.to.throw();
    expect(api().ports.redriveDeadLetter.calledOnceWithExactly('7')).to.equal(true);
  });

  it('answers 404 when the bus knows no such dead letter', async () => {
    api().ports.redriveDeadLetter.resolves(null);
    const answer = await api().call('POST', '/api/v1/dead-letters/8/redrive');
    expect(answer.status).to.equal(404);
    expect(answer.body.error).to.include({ code: 'not_found', message: 'dead letter 8 not found' });
  });

  it('answers 400 naming id for an id that is not a DLQ sequence, without asking the bus', async () => {
    for (const id of ['0', 'abc', '-3', '1.5']) {
      const answer = await api().call('POST', `/api/v1/dead-letters/${id}/redrive`);
      expect(answer.status).to.equal(400);
      expect(answer.body.error.message).to.match(/^id: must be a DLQ stream sequence/);
    }
    expect(api().ports.redriveDeadLetter.called).to.equal(false);
  });

  it('answers 503 with Retry-After when the bus is unavailable', async () => {
    api().ports.listDeadLetters.rejects(new AppError('unavailable', 'NATS is not connected', { retryAfterSeconds: 3 }));
    const answer = await api().call('GET', '/api/v1/dead-letters');
    expect(answer.status).to.equal(503);
    expect(answer.headers.get('retry-after')).to.equal('3');
  });
});
