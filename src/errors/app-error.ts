import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface AppErrorOptions {
  cause?: unknown;
  /** Seconds a client (or a nak) should wait before trying again. */
  retryAfterSeconds?: number;
  /** Extra, non-secret facts for logs. */
  details?: Record<string, unknown>;
}

/** The one error type the service throws on purpose: a stable `code`, a message, an optional cause. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get expose(): boolean {
    return ERROR_CODES[this.code].expose;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
