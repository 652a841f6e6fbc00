import type { Router, RouterMiddleware } from '@koa/router';
import { getDelivery, listDeliveries } from '../effects/db/delivery-store.js';
import { toDeliveryView } from '../effects/db/serialize.js';
import { AppError } from '../errors/app-error.js';
import { requestLogger, type ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';

/** GET /api/v1/deliveries, GET /api/v1/deliveries/:delivery_id and POST …/:delivery_id/replay. */
export function mountDeliveryRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  const { orm } = deps;

  mountOperation(router, operations.listDeliveries, auth, async (ctx, { query }) => {
    const { limit, offset, event, repository, outcome } = query;
    const page = await listDeliveries(orm.em.fork(), { eventType: event, repository, outcome }, { limit, offset });
    ctx.body = { deliveries: page.rows.map((delivery) => toDeliveryView(delivery)), total: page.total, limit, offset };
  });

  mountOperation(router, operations.getDelivery, auth, async (ctx, { params }) => {
    const detail = await getDelivery(orm.em.fork(), params.delivery_id);
    if (!detail) throw new AppError('not_found', `delivery ${params.delivery_id} not found`);
    ctx.body = toDeliveryView(detail.delivery, detail.tasks);
  });

  mountOperation(router, operations.replayDelivery, auth, async (ctx, { params }) => {
    const detail = await getDelivery(orm.em.fork(), params.delivery_id);
    if (!detail) throw new AppError('not_found', `delivery ${params.delivery_id} not found`);
    const { delivery } = detail;
    const receipt = await deps.replayDelivery(delivery);
    requestLogger(ctx, deps.logger).info(
      { delivery_id: delivery.deliveryId, event: delivery.eventType, stream: receipt.stream, seq: receipt.seq },
      'delivery replayed by an operator',
    );
    ctx.status = 202;
    ctx.body = { status: 'queued', delivery_id: delivery.deliveryId, stream: receipt.stream, seq: receipt.seq };
  });
}
