import type { Router, RouterMiddleware } from '@koa/router';
import type { RecoveryRequest } from '../effects/db/entities/recovery-request.js';
import type { RecoveryRun } from '../effects/db/entities/recovery-run.js';
import { listRecoveryRuns } from '../effects/db/recovery-store.js';
import { AppError } from '../errors/app-error.js';
import { requestLogger, type ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';
import type { RecoveryRunView } from './schemas/recovery-schemas.js';

/** GET /api/v1/recoveries and POST /api/v1/recoveries. */
export function mountRecoveryRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  mountOperation(router, operations.listRecoveries, auth, async (ctx, { query }) => {
    const { limit, offset } = query;
    const page = await listRecoveryRuns(deps.orm.em.fork(), { limit, offset });
    ctx.body = { recoveries: page.rows.map(({ run, requests }) => toRecoveryRunView(run, requests)), total: page.total, limit, offset };
  });

  mountOperation(router, operations.startRecovery, auth, async (ctx, { query }) => {
    if (!deps.startRecovery) {
      throw new AppError('conflict', 'missed-delivery recovery is not configured: it needs GitHub App credentials (or RECOVERY_HOOKS with a token) and RECOVERY_ENABLED');
    }
    const start = await deps.startRecovery(query.since === undefined ? undefined : new Date(query.since));
    if (!start.started) throw new AppError('conflict', start.reason);
    requestLogger(ctx, deps.logger).info({ recovery_run: start.run.id, since: start.run.since }, 'recovery run started by an operator');
    ctx.status = 202;
    ctx.body = { status: 'started', run: toRecoveryRunView(start.run, []) };
  });
}

/** A run as the API shows it. */
export function toRecoveryRunView(run: RecoveryRun, requests: readonly RecoveryRequest[]): RecoveryRunView {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    since: iso(run.since),
    started_at: iso(run.startedAt),
    finished_at: run.finishedAt ? iso(run.finishedAt) : null,
    scanned: run.scanned,
    failed: run.failed,
    already_accepted: run.alreadyAccepted,
    requested: run.requested,
    resume_at: run.resumeAt ? iso(run.resumeAt) : null,
    error: run.error,
    requests: requests.map((request) => ({
      guid: request.guid,
      hook_delivery_id: request.hookDeliveryId,
      hook: request.hook,
      event: request.event,
      action: request.action,
      failed_status_code: request.failedStatusCode,
      outcome: request.outcome,
      requested_at: iso(request.requestedAt),
      error: request.error,
    })),
  };
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
