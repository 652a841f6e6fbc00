/*
 * What the management actions and readers return, shaped as the management API and the CLI show
 * them (snake_case): the API serves these objects as they are, and its zod schemas are checked
 * against them.
 */

/** A message in the DLQ stream, as the management API shows it. */
export interface DeadLetterView {
  /** The message's sequence in the DLQ stream, as a string: the id to redrive it by. */
  id: string;
  /** The stream the message died in (e.g. `GITHUB`, `TASKS`). */
  stream: string;
  /** The durable consumer that gave up on it. */
  consumer: string;
  /** Its original subject (e.g. `github.pull_request.opened`). */
  subject: string;
  /** The GitHub delivery it carries or descends from, when known. */
  delivery_id: string | null;
  /** The task it carries, for messages of the TASKS stream. */
  task_id: string | null;
  /** Why it was dead-lettered. */
  reason: string;
  /** When it was dead-lettered (ISO-8601, UTC). */
  failed_at: string;
}

/** One page of dead letters, newest first, and how many there are. */
export interface DeadLetterPage {
  dead_letters: DeadLetterView[];
  total: number;
}

/** Where a re-published message went. */
export interface PublishReceipt {
  /** The stream that stored it (namespaced as deployed). */
  stream: string;
  seq: number;
}

/** Where a redriven dead letter went. */
export interface RedriveReceipt extends PublishReceipt {
  /** The subject it was published on again: its original one. */
  subject: string;
}

/** A delivery's message as the GITHUB stream holds it. */
export interface DeliveryMessage {
  /** The stream holding it (namespaced as deployed). */
  stream: string;
  seq: number;
  subject: string;
  /** When JetStream stored it (ISO-8601, UTC). */
  stored_at: string;
  /** Every message header, as sent (GitHub's, the orchestrator's, traceparent). */
  headers: Record<string, string[]>;
  /** The payload's size; null when its claim-checked copy is gone. */
  payload_bytes: number | null;
  /** True when the payload was too large for a message and lives in the object store. */
  claim_check: boolean;
}
