import type { WebhookEnvelope } from '../../src/contracts/webhook-envelope.js';

/** The envelope an actor would decode for `payload` delivered as `event` (fixed ids and times). */
export function envelopeOf(event: string, payload: Record<string, unknown>): WebhookEnvelope {
  return {
    deliveryId: 'd-1',
    event,
    action: typeof payload.action === 'string' ? payload.action : undefined,
    payload,
    hookId: undefined,
    targetType: undefined,
    targetId: undefined,
    receivedAt: new Date('2026-11-29T00:00:00Z'),
    streamSeq: 1,
    replayOf: undefined,
  };
}
