import { AppError, isAppError } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { CodegenOperation } from './codegen-transport.js';

/** The outcome of the last outbound call: `ok` or the error code it ended with. */
export interface CodegenLastCall {
  at: number;
  outcome: 'ok' | ErrorCode;
}

export interface CodegenCallRecordOptions {
  /** Told of every call: debug when it succeeds, warn with its code and HTTP status when it fails. */
  log: Logger;
  /** `orchestrator_rate_limited_total{scope="codegen_api"}` counts each 429 that still came back. */
  metrics: Metrics;
  now?: () => number;
}

export interface CodegenCallRecord {
  /** Runs one outbound call and records how it ended; its failure is rethrown as an AppError. */
  record<T>(operation: CodegenOperation, call: () => Promise<T>): Promise<T>;
  /** For health checks, which must not call out themselves. */
  lastCall(): CodegenLastCall | undefined;
}

/**
 * What the Codegen client keeps of its calls, apart from making them: the last outcome (read by the
 * health check), the rate-limit metric and one log line per call. An error that is not already an
 * AppError becomes `dependency_failed`. The log lines carry codes and durations, never a body.
 */
export function recordCodegenCalls(options: CodegenCallRecordOptions): CodegenCallRecord {
  const { log, metrics } = options;
  const now = options.now ?? Date.now;
  let last: CodegenLastCall | undefined;
  return {
    async record(operation, call) {
      const started = now();
      try {
        const result = await call();
        last = { at: now(), outcome: 'ok' };
        log.debug({ operation, durationMs: now() - started }, 'codegen call succeeded');
        return result;
      } catch (error) {
        const appError = isAppError(error) ? error : new AppError('dependency_failed', `Codegen ${operation} failed`, { cause: error });
        last = { at: now(), outcome: appError.code };
        if (appError.code === 'rate_limited') metrics.rateLimited.inc({ scope: 'codegen_api' });
        const httpStatus = appError.details?.httpStatus;
        log.warn({ operation, code: appError.code, httpStatus, durationMs: now() - started }, 'codegen call failed');
        throw appError;
      }
    },
    lastCall: () => (last === undefined ? undefined : { ...last }),
  };
}
