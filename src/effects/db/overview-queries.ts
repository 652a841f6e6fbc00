import type { EntityManager } from '@mikro-orm/postgresql';

/** Deliveries received in one minute of the window, by event type and outcome. */
export interface DeliveryMinuteCount {
  /** The minute's start. */
  minute: Date;
  eventType: string;
  outcome: string;
  count: number;
}

/** Tasks created inside the window, by type and the status they are in now. */
export interface TaskStatusCount {
  taskType: string;
  status: string;
  count: number;
}

/**
 * Deliveries received since `since`, counted per minute, event type and outcome: what the
 * console's overview charts. The database is the one record every instance writes, so the
 * figures are the whole deployment's, not one process's. Bounded by the received_at index.
 */
export async function countDeliveriesPerMinute(em: EntityManager, since: Date): Promise<DeliveryMinuteCount[]> {
  const rows: Array<{ minute: Date | string; event_type: string; outcome: string; count: string | number }> = await em.execute(
    `select date_trunc('minute', "received_at") as "minute", "event_type", "outcome", count(*) as "count"
     from "webhook_deliveries" where "received_at" >= ?
     group by 1, 2, 3 order by 1, 2, 3`,
    [since],
  );
  return rows.map((row) => ({ minute: new Date(row.minute), eventType: row.event_type, outcome: row.outcome, count: Number(row.count) }));
}

/** Tasks created since `since`, counted by type and current status (bounded by the created_at index). */
export async function countTasksByStatus(em: EntityManager, since: Date): Promise<TaskStatusCount[]> {
  const rows: Array<{ task_type: string; status: string; count: string | number }> = await em.execute(
    `select "task_type", "status", count(*) as "count"
     from "tasks" where "created_at" >= ?
     group by 1, 2 order by 1, 2`,
    [since],
  );
  return rows.map((row) => ({ taskType: row.task_type, status: row.status, count: Number(row.count) }));
}
