import type { Router, RouterMiddleware } from '@koa/router';
import { AppError } from '../errors/app-error.js';
import { requestLogger, type ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';

/** GET /api/v1/dead-letters and POST /api/v1/dead-letters/:id/redrive, through the injected bus ports. */
export function mountDeadLetterRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  mountOperation(router, operations.listDeadLetters, auth, async (ctx, { query }) => {
    const { limit, offset } = query;
    const page = await deps.listDeadLetters({ limit, offset });
    ctx.body = { dead_letters: page.dead_letters, total: page.total, limit, offset };
  });

  mountOperation(router, operations.redriveDeadLetter, auth, async (ctx, { params }) => {
    const receipt = await deps.redriveDeadLetter(params.id);
    if (!receipt) throw new AppError('not_found', `dead letter ${params.id} not found`);
    requestLogger(ctx, deps.logger).info({ dead_letter: params.id, ...receipt }, 'dead letter redriven by an operator');
    ctx.status = 202;
    ctx.body = { status: 'queued', id: params.id, stream: receipt.stream, subject: receipt.subject, seq: receipt.seq };
  });
}
