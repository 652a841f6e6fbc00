import type { CodegenRun } from '../../effects/codegen/create-codegen-client.js';
import { isTerminalCodegenState } from '../../effects/codegen/normalize-codegen-status.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { backoffDelay } from '../../operators/backoff-delay.js';

export interface FollowOptions {
  /** Reads the run, through Codegen's read budget and breaker. */
  getRun(runId: number): Promise<CodegenRun>;
  runId: number;
  /** First poll delay; grows exponentially to `maxPollMs`. */
  pollMs: number;
  maxPollMs: number;
  /** Told of every status change (to store it on the task). */
  onStatus(run: CodegenRun): Promise<void>;
  working(): void;
  stopping(): boolean;
  sleep(ms: number): Promise<void>;
  /** Give the message back (deferred) after following this long; it resumes on redelivery. */
  maxFollowMs: number;
  now(): number;
}

/**
 * Polls a Codegen run until it ends (Codegen has no callbacks). Polls back off, reads wait for
 * Codegen's 60-per-30-s budget (`getRun` paces them), a refused or failed read just waits, and the message is kept alive
 * with working(). On shutdown or after `maxFollowMs` it throws `deferred`, so the message is
 * redelivered later and following resumes from the stored run id: no second run is created.
 */
export async function followCodegenRun(options: FollowOptions): Promise<CodegenRun> {
  const started = options.now();
  let lastStatus: string | undefined;
  for (let poll = 1; ; poll += 1) {
    if (options.stopping() || options.now() - started > options.maxFollowMs) {
      throw new AppError('deferred', `still following Codegen run ${options.runId}`, { retryAfterSeconds: 5 });
    }
    let run: CodegenRun | undefined;
    try {
      run = await options.getRun(options.runId);
    } catch (error) {
      if (!(isAppError(error) && (error.code === 'rate_limited' || error.code === 'circuit_open' || error.code === 'dependency_failed' || error.code === 'dependency_timeout'))) {
        throw error;
      }
      const wait = isAppError(error) && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : options.pollMs;
      await options.sleep(Math.min(wait, options.maxPollMs));
      options.working();
      continue;
    }
    if (run.status !== lastStatus) {
      lastStatus = run.status;
      await options.onStatus(run);
    }
    if (isTerminalCodegenState(run.state)) return run;
    options.working();
    await options.sleep(backoffDelay(poll, { strategy: 'exponential', baseMs: options.pollMs, maxMs: options.maxPollMs, jitter: 'none' }));
    options.working();
  }
}
