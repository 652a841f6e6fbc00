/** A Codegen run status reduced to what the orchestrator acts on. */
export type CodegenRunState = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'unknown';

// Codegen documents `status` only as a free string (AgentRunResponse in
// https://docs.codegen.com/api-reference/agents/get-agent-run). The values below are the ones its
// own CLI (codegen-sh/codegen src/codegen/cli/tui/app.py) and API clients observe; the SDK docs
// compare against lowercase "completed", hence the case-insensitive lookup and both spellings.
const STATES: Readonly<Record<string, CodegenRunState>> = {
  PENDING: 'pending',
  ACTIVE: 'running',
  RUNNING: 'running',
  EVALUATION: 'running',
  // Waiting for a human reply in the Codegen UI: still alive, not an outcome.
  PAUSED: 'running',
  COMPLETE: 'completed',
  COMPLETED: 'completed',
  FAILED: 'failed',
  ERROR: 'failed',
  TIMEOUT: 'failed',
  MAX_ITERATIONS_REACHED: 'failed',
  OUT_OF_TOKENS: 'failed',
  CANCELLED: 'cancelled',
  STOPPED: 'cancelled',
};

const TERMINAL: ReadonlySet<CodegenRunState> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Maps a status string as Codegen sent it to a {@link CodegenRunState}, ignoring case and
 * surrounding whitespace. A missing or unrecognised status is `unknown` (not terminal), so a
 * status Codegen adds later keeps the run being followed instead of ending it wrongly.
 */
export function normalizeCodegenStatus(status: string | null | undefined): CodegenRunState {
  if (typeof status !== 'string') return 'unknown';
  return STATES[status.trim().toUpperCase()] ?? 'unknown';
}

/** Whether a run in this state will never change again (completed, failed or cancelled). */
export function isTerminalCodegenState(state: CodegenRunState): boolean {
  return TERMINAL.has(state);
}
