import type { EntityManager } from '@mikro-orm/postgresql';
import { valuesList } from './values-list.js';

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
 * Records the heads of pull requests and says how each compares, in order (a later event of the
 * same pull request in `heads` compares with what the earlier ones left), atomically under
 * concurrent writers: at most three statements whatever the count — insert the unknown ones, lock
 * the known ones, move the heads that moved forward.
 * A different head with the same `updated_at` as the recorded one is `stale`: GitHub's timestamps
 * have one-second resolution, and keeping the first answer means a redelivered old event can never
 * take the place of the newer state.
 */
export async function observePullRequestHeads(em: EntityManager, heads: readonly ObservedHead[]): Promise<HeadObservation[]> {
  if (heads.length === 0) return [];
  const keyOf = (head: { repository: string; number: number }) => `${head.repository}#${head.number}`;
  const firstOfKey = new Map<string, ObservedHead>();
  for (const head of heads) if (!firstOfKey.has(keyOf(head))) firstOfKey.set(keyOf(head), head);
  const firsts = [...firstOfKey.values()];

  const fresh = valuesList(['text', 'int', 'text', 'timestamptz'], firsts.map((h) => [h.repository, h.number, h.headSha, h.updatedAt]));
  const inserted = await em.execute(
    `insert into "pull_request_heads" ("repository", "number", "head_sha", "head_updated_at")
     values ${fresh.sql} on conflict ("repository", "number") do nothing returning "repository", "number"`,
    fresh.params,
  );
  const insertedKeys = new Set(inserted.map((row) => keyOf({ repository: row.repository as string, number: Number(row.number) })));
  const current = new Map<string, { sha: string; updatedMs: number }>();
  for (const head of firsts) {
    if (insertedKeys.has(keyOf(head))) current.set(keyOf(head), { sha: head.headSha, updatedMs: head.updatedAt.getTime() });
  }
  // Only heads we did not just insert need reading (and locking); a batch of new pull requests
  // is then one statement.
  const known = firsts.filter((head) => !insertedKeys.has(keyOf(head)));
  if (known.length > 0) {
    const keys = valuesList(['text', 'int'], known.map((h) => [h.repository, h.number]));
    // Milliseconds since the epoch, compared in JavaScript: GitHub's times have whole seconds.
    const locked = await em.execute(
      `select p."repository", p."number", p."head_sha", extract(epoch from p."head_updated_at") * 1000 as "updated_ms"
       from "pull_request_heads" as p join (values ${keys.sql}) as k ("repository", "number")
         on p."repository" = k."repository" and p."number" = k."number"
       order by p."repository", p."number"
       for update of p`,
      keys.params,
    );
    for (const row of locked) {
      current.set(keyOf({ repository: row.repository as string, number: Number(row.number) }), {
        sha: row.head_sha as string,
        updatedMs: Number(row.updated_ms),
      });
    }
  }
  const moved = new Set<string>();
  const observations = heads.map((head): HeadObservation => {
    const key = keyOf(head);
    const state = current.get(key);
    if (!state) throw new Error(`pull request head ${key} vanished while being observed`);
    if (insertedKeys.has(key) && firstOfKey.get(key) === head) return 'newer';
    const sameHead = state.sha === head.headSha;
    const movesForward = state.updatedMs < head.updatedAt.getTime();
    if (movesForward) {
      current.set(key, { sha: head.headSha, updatedMs: head.updatedAt.getTime() });
      moved.add(key);
    }
    if (sameHead) return 'same';
    return movesForward ? 'newer' : 'stale';
  });
  if (moved.size > 0) {
    const updates = valuesList(
      ['text', 'int', 'text', 'timestamptz'],
      [...moved].map((key) => {
        const { repository, number } = firstOfKey.get(key)!;
        const state = current.get(key)!;
        return [repository, number, state.sha, new Date(state.updatedMs)];
      }),
    );
    await em.execute(
      `update "pull_request_heads" as p set "head_sha" = v."head_sha", "head_updated_at" = v."updated_at", "updated_at" = now()
       from (values ${updates.sql}) as v ("repository", "number", "head_sha", "updated_at")
       where p."repository" = v."repository" and p."number" = v."number" and p."head_updated_at" < v."updated_at"`,
      updates.params,
    );
  }
  return observations;
}

/** Records one pull request head; see {@link observePullRequestHeads}. */
export async function observePullRequestHead(em: EntityManager, head: ObservedHead): Promise<HeadObservation> {
  const [observation] = await observePullRequestHeads(em, [head]);
  return observation!;
}
