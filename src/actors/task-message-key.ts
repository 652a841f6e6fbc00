import type { JsMsg } from '@nats-io/jetstream';

/**
 * The identity of a TASKS message for the in-memory dedupe: its `Nats-Msg-Id` (task id and
 * generation), so repeats of one queueing are dropped while an operator's re-queue, which carries
 * a new generation, is not.
 */
export function taskMessageKey(message: JsMsg): string | undefined {
  return message.headers?.get('Nats-Msg-Id') || undefined;
}
