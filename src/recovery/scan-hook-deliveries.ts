import type { HookTarget } from '../contracts/hook-target.js';
import type { GithubHookDeliveries, HookDeliveryItem, RateLimited } from './github-hook-deliveries.js';

/** What one walk over a hook's deliveries found. */
export interface HookScan {
  kind: 'scanned';
  /** Attempts listed (newer than the checkpoint and the bound). */
  scanned: number;
  /** Per event GUID, its latest attempt (the list is newest first, so the first one seen). */
  latest: Map<string, HookDeliveryItem>;
  /** The newest attempt id seen: the next checkpoint. */
  newestId: number | undefined;
}

/**
 * Pages through a hook's deliveries, newest first, following the Link header's cursor, and stops
 * at the first attempt at or below `checkpoint` or delivered before `since`. Being rate-limited
 * (or having used the limit up) ends the walk with {@link RateLimited}: nothing found is lost, the
 * next run walks again.
 */
export async function scanHookDeliveries(
  github: GithubHookDeliveries,
  target: HookTarget,
  bounds: { checkpoint: number | undefined; since: Date },
): Promise<HookScan | RateLimited> {
  const latest = new Map<string, HookDeliveryItem>();
  let scanned = 0;
  let newestId: number | undefined;
  let cursor: string | undefined;
  for (;;) {
    const page = await github.list(target, cursor);
    if (page.kind === 'rate_limited') return page;
    let reachedEnd = page.next === undefined;
    for (const item of page.items) {
      const older = (bounds.checkpoint !== undefined && item.id <= bounds.checkpoint) || Date.parse(item.delivered_at) < bounds.since.getTime();
      if (older) {
        reachedEnd = true;
        break;
      }
      scanned += 1;
      newestId ??= item.id;
      if (!latest.has(item.guid)) latest.set(item.guid, item);
    }
    if (reachedEnd) return { kind: 'scanned', scanned, latest, newestId };
    if (page.exhaustedUntil) return { kind: 'rate_limited', resumeAt: page.exhaustedUntil };
    cursor = page.next;
  }
}

/** Whether GitHub's attempt failed: anything but a 2xx answer (0 when it could not connect). */
export function attemptFailed(item: Pick<HookDeliveryItem, 'status_code'>): boolean {
  return !(item.status_code >= 200 && item.status_code < 300);
}
