import type { DeadLetterPage, PublishReceipt, RedriveReceipt } from '../contracts/management-views.js';
import type { ReadDeliveryMessage } from '../bus/read-delivery-message.js';
import type { ReadRuntimeState } from '../observability/read-runtime-state.js';
import type { RecoveryRun } from '../effects/db/entities/recovery-run.js';
import type { Task } from '../effects/db/entities/task.js';
import type { WebhookDelivery } from '../effects/db/entities/webhook-delivery.js';
import type { Page } from '../effects/db/page.js';

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
