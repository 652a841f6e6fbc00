import type { RecoveryRun } from '../effects/db/entities/recovery-run.js';
import type { Task } from '../effects/db/entities/task.js';
import type { WebhookDelivery } from '../effects/db/entities/webhook-delivery.js';
import type { Page } from '../effects/db/page.js';

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

/**
 * Publishes a task that `retryTask` has just put back to `queued` on the TASKS stream so its actor
 * runs it again. Must resolve only once JetStream has acknowledged the message; it rejects
 * otherwise (an AppError `unavailable` becomes a 503 with Retry-After). On rejection the API puts
 * the task back into the status it had, so the operator can simply retry again.
 */
export type RequeueTask = (task: Task) => Promise<void>;

/**
 * Re-runs a stored delivery through its actor: publishes it again (from the GITHUB stream by
 * `delivery.streamSeq`, or wherever the payload is kept) so that the actor processes it once more
 * despite the duplicate window. Resolves with where the new message went, after its PubAck. The
 * API has already checked that the delivery exists; throw AppError `conflict` when it cannot be
 * replayed (its payload is no longer retained), `unavailable` when NATS is down.
 */
export type ReplayDelivery = (delivery: WebhookDelivery) => Promise<PublishReceipt>;

/** A page of the DLQ stream, newest first; `page.limit` is 1..1000. */
export type ListDeadLetters = (page: Page) => Promise<DeadLetterPage>;

/**
 * Publishes dead letter `id` (a DLQ stream sequence, digits only) again on its original subject,
 * after its PubAck, and then removes it from the DLQ. Resolves null when no dead letter has this
 * id (including one already redriven), which the API answers with 404.
 */
export type RedriveDeadLetter = (id: string) => Promise<RedriveReceipt | null>;

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

/**
 * The delivery's stored message (by `delivery.streamSeq`), with its payload bytes when
 * `withPayload` (read back from the object store when claim-checked). Null when the stream no
 * longer holds it (aged out) or the sequence now holds another delivery.
 */
export type ReadDeliveryMessage = (
  delivery: WebhookDelivery,
  options: { withPayload: boolean },
) => Promise<(DeliveryMessage & { payload?: Uint8Array }) | null>;

/** A circuit breaker's state, as the metrics gauge reports it. */
export interface BreakerStateView {
  dependency: string;
  state: 'closed' | 'half_open' | 'open';
}

/** Messages a durable consumer has yet to settle (pending + unacknowledged). */
export interface ConsumerDepthView {
  consumer: string;
  pending: number;
}

/** What this instance knows live: breaker states and queue depths, read from its metrics. */
export interface RuntimeState {
  breakers: BreakerStateView[];
  consumers: ConsumerDepthView[];
}

/** Reads {@link RuntimeState} (from the service's own metrics registry). */
export type ReadRuntimeState = () => Promise<RuntimeState>;

/**
 * Starts a missed-delivery recovery run now, looking back to `since` (else from the checkpoint).
 * Resolves `started: false` with the reason when a run is going on (here or on another instance).
 */
export type StartRecovery = (since: Date | undefined) => Promise<{ started: true; run: RecoveryRun } | { started: false; reason: string }>;

/** The bus operations the management API calls; implemented outside `api/` and injected. */
export interface ManagementPorts {
  requeueTask: RequeueTask;
  replayDelivery: ReplayDelivery;
  listDeadLetters: ListDeadLetters;
  redriveDeadLetter: RedriveDeadLetter;
  readDeliveryMessage: ReadDeliveryMessage;
  readRuntimeState: ReadRuntimeState;
  /** Undefined when recovery is not configured (no credentials, or RECOVERY_ENABLED=false). */
  startRecovery?: StartRecovery | undefined;
}
