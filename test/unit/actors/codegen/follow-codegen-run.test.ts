import { expect } from 'chai';
import { followCodegenRun, type FollowOptions } from '../../../../src/actors/codegen/follow-codegen-run.js';
import type { CodegenRun } from '../../../../src/effects/codegen/create-codegen-client.js';
import { normalizeCodegenStatus } from '../../../../src/effects/codegen/normalize-codegen-status.js';
import { AppError } from '../../../../src/errors/app-error.js';

const run = (status: string): CodegenRun => ({ id: 42, status, state: normalizeCodegenStatus(status) });

/**
 * followCodegenRun over a scripted Codegen: each read takes the next answer (a status or an error),
 * time advances only by what the follower sleeps, and everything it does is recorded in order.
 */
function follow(answers: Array<string | Error>, overrides: Partial<FollowOptions> = {}) {
  let clock = 0;
  const events: string[] = [];
  const options: FollowOptions = {
    runId: 42,
    pollMs: 100,
    maxPollMs: 400,
    maxFollowMs: 10_000,
    getRun: async (runId) => {
      expect(runId).to.equal(42);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('read more often than scripted');
      events.push(`read ${answer instanceof Error ? (answer as AppError).code ?? answer.message : answer}`);
      if (answer instanceof Error) throw answer;
      return run(answer);
    },
    onStatus: async (seen) => void events.push(`status ${seen.status}`),
    working: () => void events.push('working'),
    stopping: () => false,
    sleep: async (ms) => {
      events.push(`sleep ${ms}`);
      clock += ms;
    },
    now: () => clock,
    ...overrides,
  };
  return { result: followCodegenRun(options), events, answers };
}

describe('followCodegenRun', () => {
  it('polls with exponential backoff up to maxPollMs, reports each status change once, and returns the ended run', async () => {
    const { result, events } = follow(['PENDING', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'COMPLETE']);
    expect((await result).status).to.equal('COMPLETE');
    expect(events).to.deep.equal([
      'read PENDING', 'status PENDING', 'working', 'sleep 100', 'working',
      'read ACTIVE', 'status ACTIVE', 'working', 'sleep 200', 'working',
      'read ACTIVE', 'working', 'sleep 400', 'working',
      'read ACTIVE', 'working', 'sleep 400', 'working',
      'read COMPLETE', 'status COMPLETE',
    ]);
  });

  it('returns a run that failed or was cancelled as it ended, without another read', async () => {
    for (const status of ['ERROR', 'CANCELLED']) {
      const { result, answers } = follow([status, 'COMPLETE']);
      expect((await result).status).to.equal(status);
      expect(answers).to.deep.equal(['COMPLETE']);
    }
  });

  it('waits out a refused or failed read (the Retry-After when given, capped at maxPollMs) and keeps the message alive', async () => {
    const { result, events } = follow([
      new AppError('rate_limited', 'slow down', { retryAfterSeconds: 0.25 }),
      new AppError('circuit_open', 'codegen open', { retryAfterSeconds: 30 }),
      new AppError('dependency_timeout', 'no answer'),
      new AppError('dependency_failed', '502'),
      'COMPLETE',
    ]);
    await result;
    expect(events).to.deep.equal([
      'read rate_limited', 'sleep 250', 'working',
      'read circuit_open', 'sleep 400', 'working',
      'read dependency_timeout', 'sleep 100', 'working',
      'read dependency_failed', 'sleep 100', 'working',
      'read COMPLETE', 'status COMPLETE',
    ]);
  });

  it('gives up on any other error at once', async () => {
    const gone = new AppError('permanent_failure', 'Agent run not found.');
    const { result } = follow([gone, 'COMPLETE']);
    expect(await result.catch((error: unknown) => error)).to.equal(gone);
  });

  it('hands the message back (deferred) when the runner is stopping, before reading', async () => {
    const { result, events } = follow(['ACTIVE'], { stopping: () => true });
    const error = (await result.catch((reason: unknown) => reason)) as AppError;
    expect([error.code, error.retryAfterSeconds, error.message]).to.deep.equal(['deferred', 5, 'still following Codegen run 42']);
    expect(events).to.deep.equal([]);
  });

  it('hands the message back (deferred) once it has followed for longer than maxFollowMs', async () => {
    const { result, events } = follow(['ACTIVE', 'ACTIVE', 'ACTIVE'], { maxFollowMs: 250 });
    const error = (await result.catch((reason: unknown) => reason)) as AppError;
    expect(error.code).to.equal('deferred');
    // 100 + 200 ms slept: past the 250 ms, so the third read never happens.
    expect(events.filter((event) => event.startsWith('read'))).to.deep.equal(['read ACTIVE', 'read ACTIVE']);
  });
});
