import type { Router, RouterMiddleware } from '@koa/router';
import { countDeliveriesPerMinute, countTasksByStatus } from '../effects/db/overview-queries.js';
import type { ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';

const MINUTE_MS = 60_000;

/**
 * GET /api/v1/overview: the console's overview in one answer. Deliveries and tasks come from
 * PostgreSQL, breakers and queue depths from the metrics registry, the DLQ's size from the bus;
 * a NATS outage leaves `dead_letters_waiting` null rather than failing the whole answer.
 */
export function mountOverviewRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  mountOperation(router, operations.getOverview, auth, async (ctx, { query }) => {
    const now = new Date();
    const firstMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - (query.minutes - 1) * MINUTE_MS;
    const since = new Date(firstMinute);
    const em = deps.orm.em.fork();
    const [deliveries, tasks, runtime, deadLetters] = await Promise.all([
      countDeliveriesPerMinute(em, since),
      countTasksByStatus(em.fork(), since),
      deps.readRuntimeState(),
      deps.listDeadLetters({ limit: 1, offset: 0 }).then((page) => page.total, () => null),
    ]);
    const perMinute = new Map<number, number>();
    const byType = new Map<string, { event_type: string; outcome: string; count: number }>();
    for (const row of deliveries) {
      perMinute.set(row.minute.getTime(), (perMinute.get(row.minute.getTime()) ?? 0) + row.count);
      const key = `${row.eventType}\u0000${row.outcome}`;
      const entry = byType.get(key) ?? { event_type: row.eventType, outcome: row.outcome, count: 0 };
      entry.count += row.count;
      byType.set(key, entry);
    }
    ctx.body = {
      minutes: query.minutes,
      generated_at: now.toISOString(),
      deliveries: {
        per_minute: Array.from({ length: query.minutes }, (_, index) => {
          const minute = firstMinute + index * MINUTE_MS;
          return { minute: new Date(minute).toISOString(), count: perMinute.get(minute) ?? 0 };
        }),
        by_type: [...byType.values()]
          .sort((a, b) => b.count - a.count || a.event_type.localeCompare(b.event_type))
          .map((entry) => ({ ...entry, per_minute: Math.round((entry.count / query.minutes) * 100) / 100 })),
      },
      tasks: tasks.map((row) => ({ task_type: row.taskType, status: row.status, count: row.count })),
      breakers: runtime.breakers,
      consumers: runtime.consumers,
      dead_letters_waiting: deadLetters,
    };
  });
}
