/**
 * Stable error codes. HTTP status and retry policy are read from this table, never from
 * message text. `expose` says whether the message may be shown to a client (koa's rule:
 * client errors yes, server errors no).
 */
export const ERROR_CODES = {
  bad_request: { status: 400, expose: true, retryable: false },
  validation_failed: { status: 400, expose: true, retryable: false },
  invalid_signature: { status: 401, expose: true, retryable: false },
  unauthorized: { status: 401, expose: true, retryable: false },
  not_found: { status: 404, expose: true, retryable: false },
  method_not_allowed: { status: 405, expose: true, retryable: false },
  conflict: { status: 409, expose: true, retryable: false },
  payload_too_large: { status: 413, expose: true, retryable: false },
  unsupported_media_type: { status: 415, expose: true, retryable: false },
  /** A signed delivery whose event time is older than WEBHOOK_MAX_EVENT_AGE_SECONDS: refused, not retryable. */
  stale_event: { status: 422, expose: true, retryable: false },
  rate_limited: { status: 429, expose: true, retryable: true },
  internal_error: { status: 500, expose: false, retryable: true },
  unavailable: { status: 503, expose: true, retryable: true },
  // Processing outcomes: never sent over HTTP as such, but classified the same way.
  dependency_failed: { status: 502, expose: false, retryable: true },
  dependency_timeout: { status: 504, expose: false, retryable: true },
  circuit_open: { status: 503, expose: true, retryable: true },
  permanent_failure: { status: 422, expose: false, retryable: false },
  payment_required: { status: 402, expose: false, retryable: false },
  not_configured: { status: 503, expose: false, retryable: false },
  /** Not a failure: the work should be offered again later (coalescing window, another worker has it). */
  deferred: { status: 503, expose: true, retryable: true },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
