import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../observability/logger.js';
import type { DeadLetterWriter } from './dead-letter.js';

/** What an actor decided for one message. */
export type Settlement =
  | { kind: 'ack'; outcome: string }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'dead'; reason: string }
  | { kind: 'abandon'; reason: string }
  | { kind: 'release'; reason: string };

export interface SettleOptions {
  deadLetter: DeadLetterWriter;
  logger: Logger;
  /** Delay before a message is offered again when even the DLQ copy failed. */
  deadLetterRetryMs?: number;
}

/**
 * The one place outcomes become JetStream dispositions: ack; nak with a delay (the message waits
 * in JetStream, not in memory); dead → copied to the DLQ, then terminated — and if the copy
 * fails, nak'd instead, so a message is never terminated without its copy; abandon → no
 * disposition, JetStream redelivers after ack_wait (used on shutdown for work cut short); release →
 * nak without delay, offered to any consumer at once (work not begun when the process stops).
 */
export async function settleMessage(message: JsMsg, settlement: Settlement, options: SettleOptions): Promise<void> {
  switch (settlement.kind) {
    case 'ack':
      message.ack();
      return;
    case 'retry':
      message.nak(Math.max(0, Math.round(settlement.delayMs)));
      return;
    case 'abandon':
      return;
    case 'release':
      message.nak();
      return;
    case 'dead': {
      try {
        await options.deadLetter({
          stream: message.info.stream,
          consumer: message.info.consumer,
          seq: message.seq,
          subject: message.subject,
          headers: message.headers,
          data: message.data,
          reason: settlement.reason,
        });
        // No reason on the term: nats-server before 2.10 ignores `+TERM <reason>` entirely, leaving the
        // message pending to be offered (and dead-lettered) again. The reason is on the DLQ copy.
        message.term();
      } catch (error) {
        options.logger.error({ err: error, seq: message.seq }, 'could not copy a dead message to the DLQ; it will be offered again');
        message.nak(options.deadLetterRetryMs ?? 30_000);
      }
      return;
    }
  }
}
