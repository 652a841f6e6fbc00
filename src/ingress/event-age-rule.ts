import { AppError } from '../errors/app-error.js';

/** When the event happened, according to a field GitHub sets at that moment. */
export interface EventTime {
  /** The payload field it was read from, e.g. `check_run.completed_at`. */
  field: string;
  at: number;
}

// Pull request actions that change the pull request itself, so GitHub sets `updated_at` to the
// event's time. Others (review_requested, assigned, …) can carry an old `updated_at` legitimately.
const PULL_REQUEST_ACTIONS = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review', 'converted_to_draft', 'closed', 'edited']);

/**
 * The event's own time, for the events whose payload carries one GitHub sets when the event
 * happens: a check run's `completed_at` and a check suite's `updated_at` when they complete, a
 * pull request's `updated_at` on actions that change it, the repository's `pushed_at` on a push
 * (not a branch deletion). Undefined otherwise — never a time that may legitimately be old, such
 * as commit dates or a re-requested check's completion.
 */
export function eventTimeOf(event: string, payload: Record<string, unknown>): EventTime | undefined {
  const action = payload.action;
  switch (event) {
    case 'check_run':
      return action === 'completed' ? read(payload, 'check_run', 'completed_at') : undefined;
    case 'check_suite':
      return action === 'completed' ? read(payload, 'check_suite', 'updated_at') : undefined;
    case 'pull_request':
      return typeof action === 'string' && PULL_REQUEST_ACTIONS.has(action) ? read(payload, 'pull_request', 'updated_at') : undefined;
    case 'push':
      return payload.deleted === true ? undefined : read(payload, 'repository', 'pushed_at');
    default:
      return undefined;
  }
}

function read(payload: Record<string, unknown>, object: string, field: string): EventTime | undefined {
  const holder = payload[object];
  if (holder === null || typeof holder !== 'object') return undefined;
  const value = (holder as Record<string, unknown>)[field];
  // Push payloads give the repository's times in Unix seconds; every other payload in ISO 8601.
  const at = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? { field: `${object}.${field}`, at } : undefined;
}

export interface EventAgeRuleOptions {
  /** Oldest event time accepted, in seconds before now; 0 turns the rule off. */
  maxAgeSeconds: number;
  now?: () => number;
}

/**
 * Refuses (422 `stale_event`) a signed delivery whose event time is older than `maxAgeSeconds`.
 * GitHub redelivers for 3 days, so an older event can only be a replay of a captured body — one
 * whose digest the replay guard may already have forgotten. Events without a trustworthy time
 * pass.
 */
export function createEventAgeRule(options: EventAgeRuleOptions): (event: string, payload: Record<string, unknown>) => void {
  const { maxAgeSeconds } = options;
  const now = options.now ?? Date.now;
  return function checkEventAge(event, payload) {
    if (maxAgeSeconds <= 0) return;
    const time = eventTimeOf(event, payload);
    if (!time) return;
    const ageSeconds = (now() - time.at) / 1000;
    if (ageSeconds > maxAgeSeconds) {
      throw new AppError(
        'stale_event',
        `event too old: ${time.field} is ${new Date(time.at).toISOString()}, more than WEBHOOK_MAX_EVENT_AGE_SECONDS ` +
          `(${maxAgeSeconds} s) ago; GitHub redelivers for 3 days only, so this is refused as a replay`,
        { details: { field: time.field, age_seconds: Math.round(ageSeconds) } },
      );
    }
  };
}
