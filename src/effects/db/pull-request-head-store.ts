import type { EntityManager } from '@mikro-orm/postgresql';

/** The head of a pull request as one event describes it. */
export interface ObservedHead {
  /** `owner/name`. */
  repository: string;
  number: number;
  headSha: string;
  /** The event's `pull_request.updated_at`. */
  updatedAt: Date;
}

/**
 * How an event's head compares with the newest one recorded: `newer` (first seen, or a later head:
 * analyse it), `same` (the recorded head), `stale` (another head, not later than the recorded one:
 * record the event and skip it).
 */
export type HeadObservation = 'newer' | 'same' | 'stale';

/**
 * Records the head of a pull request and says how it compares, atomically under concurrent events.
 * A different head with the same `updated_at` as the recorded one is `stale`: GitHub's timestamps
 * have one-second resolution, and keeping the first answer means a redelivered old event can never
 * take the place of the newer state.
 */
export async function observePullRequestHead(em: EntityManager, head: ObservedHead): Promise<HeadObservation> {
  const inserted = await em.execute(
    `insert into "pull_request_heads" ("repository", "number", "head_sha", "head_updated_at")
     values (?, ?, ?, ?) on conflict ("repository", "number") do nothing returning "head_sha"`,
    [head.repository, head.number, head.headSha, head.updatedAt],
  );
  if (inserted.length > 0) return 'newer';
  // The locked sub-select returns the row as it was before this update (the usual way to read
  // "old" values in PostgreSQL); the update itself only ever moves the head forward.
  const [previous] = await em.execute(
    `update "pull_request_heads" as "p" set
       "head_sha" = case when "old"."head_updated_at" < ? then ? else "old"."head_sha" end,
       "head_updated_at" = greatest("old"."head_updated_at", ?),
       "updated_at" = now()
     from (select "head_sha", "head_updated_at" from "pull_request_heads"
           where "repository" = ? and "number" = ? for update) as "old"
     where "p"."repository" = ? and "p"."number" = ?
     returning "old"."head_sha" as "previous_sha", "old"."head_updated_at" < ?::timestamptz as "moved_forward"`,
    [
      head.updatedAt, head.headSha, head.updatedAt, head.repository, head.number, head.repository, head.number,
      head.updatedAt,
    ],
  );
  if (!previous) throw new Error(`pull request head ${head.repository}#${head.number} vanished while being observed`);
  if (previous.previous_sha === head.headSha) return 'same';
  // Compared in SQL: raw rows carry timestamps as text, and PostgreSQL keeps microseconds.
  return previous.moved_forward === true ? 'newer' : 'stale';
}
