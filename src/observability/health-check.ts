export type CheckStatus = 'up' | 'down' | 'degraded' | 'not_configured';

/** What one check reports: its status and any details (breaker state, last call, server). */
export interface CheckResult {
  status: CheckStatus;
  [detail: string]: unknown;
}

/** One dependency's health. `critical` ones make the service unhealthy (503) when down. */
export interface HealthCheck {
  name: string;
  critical: boolean;
  /** Must be cheap and make no outbound call to third parties (breaker state, last outcome). */
  check(): Promise<CheckResult> | CheckResult;
}
