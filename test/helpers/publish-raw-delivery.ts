import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../src/contracts/message-headers.js';
import { webhookSubject } from '../../src/contracts/subjects.js';
import type { Topology } from '../../src/contracts/topology.js';

/**
 * Publishes a delivery straight to the GITHUB stream, as ingress would, but with a message id of
 * the test's choosing: the same delivery arriving again after JetStream's duplicate window.
 */
export async function publishRawDelivery(
  nc: NatsConnection,
  topology: Topology,
  delivery: { deliveryId: string; event: string; payload: Record<string, unknown>; msgId?: string },
): Promise<number> {
  const headers = natsHeaders();
  headers.set(GITHUB_HEADERS.delivery, delivery.deliveryId);
  headers.set(GITHUB_HEADERS.event, delivery.event);
  const action = typeof delivery.payload.action === 'string' ? delivery.payload.action : undefined;
  if (action) headers.set(ORCHESTRATOR_HEADERS.action, action);
  const ack = await jetstream(nc).publish(topology.subject(webhookSubject(delivery.event, action)), JSON.stringify(delivery.payload), {
    headers,
    msgID: delivery.msgId ?? delivery.deliveryId,
  });
  return ack.seq;
}
