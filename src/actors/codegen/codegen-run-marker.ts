import { isAppError } from '../../errors/app-error.js';

/**
 * The run status stored while a create call is in flight (`creating:<first attempt>`), and left
 * behind when its outcome is unknown, so later attempts look for runs of those attempts first.
 * An operator's retry clears it: a deliberate retry starts a new run.
 */
export const creatingMarker = (sinceAttempt: number): string => `creating:${sinceAttempt}`;

/** The first attempt whose create may have started a run, when `status` is a {@link creatingMarker}. */
export function creatingSince(status: string | null): number | undefined {
  const match = /^creating:(\d+)$/.exec(status ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Whether a failed create may still have started a run (it timed out or lost its connection), also behind an open breaker. */
export function outcomeUnknown(error: unknown): boolean {
  const cause = isAppError(error) && error.code === 'circuit_open' ? (error.cause as unknown) : error;
  return isAppError(cause) && cause.details?.outcomeUnknown === true;
}
