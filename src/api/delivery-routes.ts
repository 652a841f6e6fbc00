import type { Router, RouterMiddleware } from '@koa/router';
import { getDelivery, listDeliveries } from '../effects/db/delivery-store.js';
import { toDeliveryView } from './delivery-view.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { requestLogger, type ManagementDeps } from './management-deps.js';
import { managementOperations as operations } from './management-operations.js';
import { mountOperation } from './mount-operation.js';

/** GET /api/v1/deliveries, GET /api/v1/deliveries/:delivery_id and POST …/:delivery_id/replay. */
export function mountDeliveryRoutes(router: Router, auth: RouterMiddleware, deps: ManagementDeps): void {
  const { orm } = deps;

  mountOperation(router, operations.listDeliveries, auth, async (ctx, { query }) => {
    const { limit, offset, event, action, repository, outcome, since, until } = query;
    const page = await listDeliveries(
      orm.em.fork(),
      { eventType: event, action, repository, outcome, receivedFrom: moment(since), receivedUntil: moment(until) },
      { limit, offset },
    );
    ctx.body = { deliveries: page.rows.map((delivery) => toDeliveryView(delivery)), total: page.total, limit, offset };
  });

  mountOperation(router, operations.getDelivery, auth, async (ctx, { params }) => {
    const detail = await getDelivery(orm.em.fork(), params.delivery_id);
    if (!detail) throw new AppError('not_found', `delivery ${params.delivery_id} not found`);
    ctx.body = toDeliveryView(detail.delivery, detail.tasks);
  });

  // Reading the message needs NATS; trouble there is `unavailable`, as for the other bus operations.
  const storedMessage = async (deliveryId: string, withPayload: boolean) => {
    const detail = await getDelivery(orm.em.fork(), deliveryId);
    if (!detail) throw new AppError('not_found', `delivery ${deliveryId} not found`);
    const message = await deps.readDeliveryMessage(detail.delivery, { withPayload }).catch((error: unknown) => {
      if (isAppError(error)) throw error;
      throw new AppError('unavailable', 'JetStream is unavailable; try again shortly', { cause: error, retryAfterSeconds: 5 });
    });
    if (!message) throw new AppError('conflict', `the message of delivery ${deliveryId} is no longer retained`);
    return message;
  };

  mountOperation(router, operations.getDeliveryMessage, auth, async (ctx, { params }) => {
    const { payload: _payload, ...message } = await storedMessage(params.delivery_id, false);
    ctx.body = message;
  });

  mountOperation(router, operations.getDeliveryPayload, auth, async (ctx, { params }) => {
    const { payload } = await storedMessage(params.delivery_id, true);
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = Buffer.from(payload ?? new Uint8Array());
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

function moment(text: string | undefined): Date | undefined {
  return text === undefined ? undefined : new Date(text);
}
