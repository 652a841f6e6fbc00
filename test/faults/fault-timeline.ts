import type pg from 'pg';

/** Options of {@link faultTimeline}. */
export interface FaultTimelineOptions {
  /** The scenario's database, after the run. */
  db: pg.Client;
  /** Times are printed relative to this (the fault's end), in seconds. */
  faultEndedAt: number;
  /** Moments worth a line of their own (the kill, the instance ready again), epoch ms. */
  marks?: ReadonlyArray<{ at: number; what: string }>;
  /** The tasks that finished last, at most. Default 16. */
  limit?: number;
}

/**
 * Where the recovery time went, one line per task that finished last: when it was created, each
 * attempt's owner, start and end and outcome, and when the task last changed — every time in
 * seconds from the fault's end (negative: before it). For `FAULTS_TIMELINE=1` and a missed target.
 */
export async function faultTimeline(options: FaultTimelineOptions): Promise<string> {
  const { db, faultEndedAt } = options;
  const at = (date: Date | null) => (date ? ((date.getTime() - faultEndedAt) / 1000).toFixed(1).padStart(6) : '     -');
  const { rows: tasks } = await db.query<{ id: string; task_type: string; status: string; created_at: Date; updated_at: Date }>(
    `select id, task_type, status, created_at, updated_at from tasks order by updated_at desc limit $1`,
    [options.limit ?? 16],
  );
  const { rows: attempts } = await db.query<{ task_id: string; number: number; owner: string | null; started_at: Date; finished_at: Date | null; outcome: string | null; error: string | null }>(
    `select task_id, number, owner, started_at, finished_at, outcome, error from task_attempts where task_id = any($1) order by task_id, number`,
    [tasks.map((task) => task.id)],
  );
  const owners = new Map<string, string>();
  const ownerName = (owner: string | null) => {
    if (owner === null) return '?';
    if (!owners.has(owner)) owners.set(owner, `#${owners.size + 1}`);
    return owners.get(owner)!;
  };
  const lines = (options.marks ?? []).map((mark) => `${at(new Date(mark.at))}  ${mark.what}`);
  for (const task of [...tasks].reverse()) {
    const tries = attempts
      .filter((attempt) => attempt.task_id === task.id)
      .map((a) => `[${a.number} ${ownerName(a.owner)} ${at(a.started_at).trim()}→${at(a.finished_at).trim()} ${a.outcome ?? 'open'}${a.outcome === 'abandoned' ? '' : a.error ? `: ${a.error.slice(0, 60)}` : ''}]`);
    lines.push(`${at(task.updated_at)}  ${task.task_type} ${task.id.slice(0, 8)} ${task.status}, created ${at(task.created_at).trim()}, ${tries.join(' ')}`);
  }
  lines.sort((a, b) => Number(a.slice(0, 6)) - Number(b.slice(0, 6)));
  return [...lines, `owners: ${[...owners].map(([owner, name]) => `${name} ${owner}`).join(', ')}`].join('\n');
}
