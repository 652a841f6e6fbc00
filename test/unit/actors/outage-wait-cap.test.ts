import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import { outageWaitCapMs } from '../../../src/actors/outage-wait-cap.js';
import { isDatabaseUnavailable } from '../../../src/effects/db/is-database-unavailable.js';
import { AppError } from '../../../src/errors/app-error.js';
import { circuitOpenError } from '../../../src/errors/circuit-open-error.js';
import { createCircuitBreaker } from '../../../src/operators/circuit-breaker.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('outageWaitCapMs', () => {
  const breakers = (scheduler = new TestScheduler(() => undefined)) => ({
    scheduler,
    database: createCircuitBreaker({ name: 'database', coolDownMs: 5000, failureThreshold: 1, isFailure: isDatabaseUnavailable, scheduler }),
    github: createCircuitBreaker({ name: 'github', coolDownMs: 30_000, failureThreshold: 1, scheduler }),
  });

  it('is a whole cool-down for a failure its closed breaker counts: it may open on this very failure', () => {
    const { database, github } = breakers();
    expect(outageWaitCapMs(refused, [database, github])).to.equal(5000);
    expect(outageWaitCapMs(new AppError('dependency_timeout', 'GitHub took too long'), [database, github])).to.equal(30_000);
  });

  it('is the cool-down left (at least a second) while the breaker is open, for its own circuit_open refusals too', () => {
    const { scheduler, database, github } = breakers();
    scheduler.run(({ flush }) => {
      database.recordFailure(refused);
      scheduler.schedule(() => {
        expect(outageWaitCapMs(refused, [database, github])).to.equal(3000);
        expect(outageWaitCapMs(circuitOpenError(database), [database, github])).to.equal(3000);
      }, 2000);
      scheduler.schedule(() => {
        expect(outageWaitCapMs(refused, [database]), 'at least a second, however little is left').to.equal(1000);
      }, 4900);
      flush();
    });
  });

  it('is undefined for what no breaker counts: bad data, a bug, being told to wait', () => {
    const { database, github } = breakers();
    expect(outageWaitCapMs(new AppError('permanent_failure', 'no such node'), [database, github])).to.equal(undefined);
    expect(outageWaitCapMs(new TypeError('x is undefined'), [database, github]), 'an unknown error is no evidence of an outage').to.equal(undefined);
    expect(outageWaitCapMs(new AppError('rate_limited', 'wait', { retryAfterSeconds: 60 }), [database])).to.equal(undefined);
  });
});
