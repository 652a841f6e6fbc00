import { expect } from 'chai';
import { AppError } from '../../../src/errors/app-error.js';
import { createEventAgeRule, eventTimeOf } from '../../../src/ingress/event-age-rule.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';

describe('eventTimeOf', () => {
  it('reads the time GitHub sets when the event happens, from the real example payloads', () => {
    expect(eventTimeOf('check_run', examplePayload('check_run', (p) => p.action === 'completed'))).to.deep.equal({
      field: 'check_run.completed_at',
      at: Date.parse('2019-05-15T15:21:12Z'),
    });
    expect(eventTimeOf('check_suite', examplePayload('check_suite', (p) => p.action === 'completed'))).to.deep.equal({
      field: 'check_suite.updated_at',
      at: Date.parse('2019-05-15T15:21:14Z'),
    });
    expect(eventTimeOf('pull_request', examplePayload('pull_request', (p) => p.action === 'closed'))).to.deep.equal({
      field: 'pull_request.updated_at',
      at: Date.parse('2019-05-15T15:21:18Z'),
    });
    // Push payloads carry the repository's times in Unix seconds.
    expect(eventTimeOf('push', examplePayload('push', (p) => p.ref === 'refs/heads/master'))).to.deep.equal({
      field: 'repository.pushed_at',
      at: 1557933657 * 1000,
    });
  });

  it('finds no event time where the payload may legitimately carry an old one', () => {
    expect(eventTimeOf('check_run', examplePayload('check_run', (p) => p.action === 'rerequested')), 're-requested check').to.equal(undefined);
    expect(eventTimeOf('check_suite', examplePayload('check_suite', (p) => p.action === 'rerequested')), 're-requested suite').to.equal(undefined);
    expect(eventTimeOf('pull_request', examplePayload('pull_request', (p) => p.action === 'review_requested')), 'review request').to.equal(undefined);
    expect(eventTimeOf('push', examplePayload('push', (p) => p.deleted === true)), 'branch deletion').to.equal(undefined);
    expect(eventTimeOf('issues', examplePayload('issues', (p) => p.action === 'opened')), 'other events').to.equal(undefined);
    expect(eventTimeOf('check_run', { action: 'completed', check_run: { completed_at: 'not a date' } }), 'unparsable').to.equal(undefined);
    expect(eventTimeOf('check_run', { action: 'completed', check_run: null }), 'missing object').to.equal(undefined);
  });
});

describe('createEventAgeRule', () => {
  const completedAt = Date.parse('2026-11-20T12:00:00Z');
  const payload = { action: 'completed', check_run: { completed_at: '2026-11-20T12:00:00Z' } };

  it('accepts an event exactly at the maximum age and refuses one a second older, naming the field and the setting', () => {
    const atLimit = createEventAgeRule({ maxAgeSeconds: 3600, now: () => completedAt + 3600_000 });
    expect(() => atLimit('check_run', payload)).to.not.throw();
    const past = createEventAgeRule({ maxAgeSeconds: 3600, now: () => completedAt + 3601_000 });
    try {
      past('check_run', payload);
      expect.fail('a stale event must be refused');
    } catch (error) {
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).code).to.equal('stale_event');
      expect((error as AppError).status).to.equal(422);
      expect((error as AppError).message).to.include('check_run.completed_at').and.to.include('WEBHOOK_MAX_EVENT_AGE_SECONDS (3600 s)');
    }
  });

  it('accepts an event time in the future (clock skew) and anything at all when the maximum age is 0', () => {
    expect(() => createEventAgeRule({ maxAgeSeconds: 60, now: () => completedAt - 600_000 })('check_run', payload)).to.not.throw();
    expect(() => createEventAgeRule({ maxAgeSeconds: 0, now: () => completedAt + 1e12 })('check_run', payload)).to.not.throw();
  });
});
