import type { Context } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../observability/logger.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';

/**
 * How a handled message ended, for the delivery record and `orchestrator_events_processed_total`.
 * `failed`: handled to its end, and the work it named failed (a task that ends `failed`).
 */
export type ActorOutcome = 'processed' | 'ignored' | 'duplicate' | 'skipped' | 'failed';

/** One decoded message of a micro-batch. */
export interface BatchItem<Input> {
  input: Input;
  message: JsMsg;
  /** Carries the message's ids (delivery, event, task), its stream sequence and its trace id. */
  log: Logger;
  /** The message's CONSUMER span as the active context: run per-message work in it. */
  trace: Context;
}

/** What became of one item: an outcome (the message is acked), or the error it failed with. */
export type ItemResult = ActorOutcome | { error: unknown };

/** What a batch handler gets besides its items. */
export interface BatchContext {
  /** A fresh unit of work for this batch (one transaction is the handler's to open). */
  em: EntityManager;
  log: Logger;
  /** Resets the ack timer of every message of the batch (the runner also does it periodically). */
  working(): void;
  /** True once the actor is stopping: long work should yield (throw) so the messages are redelivered. */
  stopping(): boolean;
}

/** What a per-message handler gets (see `handlePerMessage`). */
export interface ActorContext {
  em: EntityManager;
  log: Logger;
  message: JsMsg;
  working(): void;
  stopping(): boolean;
}

/**
 * One actor: which durable consumers feed it, how a message becomes its input, and what it does
 * with a micro-batch of them. The runner (`run-actor.ts`) supplies the pipeline around it, in this
 * order:
 *
 *   pull (paused while a breaker is open; one message at a time while one probes)
 *   ▸ dedupeByKey     first deliveries whose `dedupeKey` was seen within the window are acked as duplicates
 *   ▸ bufferBatch     micro-batches of at most `batch.maxSize` messages or `batch.maxWaitMs`
 *   ▸ admit           while the webhook endpoint is crowded it goes first (IngressPriority): a
 *                     GITHUB batch takes the shared slot and pauses after it, a TASKS batch waits
 *                     its turn before it starts
 *   ▸ decode          per message; an undecodable one is dead-lettered alone
 *   ▸ handleBatch     under the database breaker (withCircuitBreaker), transient failures retried in
 *                     process (retryBackoff); a batch that fails is split in halves until the
 *                     message at fault stands alone
 *   ▸ settle          per message, exactly once: ack | nak(delay) | DLQ copy then term
 *
 * While a message is held anywhere in that pipeline it is marked working, so JetStream does not
 * redeliver it mid-flight.
 */
export interface ActorDefinition<Input> {
  /** Metrics and logs label, e.g. `pull_request`. */
  name: string;
  /** Logical stream name (`GITHUB`, `TASKS`) and its durables, as in streams/consumers/. */
  stream: 'GITHUB' | 'TASKS';
  durables: readonly string[];
  decode(message: JsMsg): Promise<Input>;
  /**
   * Identity of the work a message asks for (the delivery id, the task message id), for the
   * in-memory first-line dedupe. Undefined: never deduped (an operator's replay). The database's
   * unique keys stay the guarantee; this only saves the work of finding out.
   */
  dedupeKey?(message: JsMsg): string | undefined;
  /** Fields for every log line of this message (delivery id, event, task id). */
  logFields(input: Input): Record<string, unknown>;
  /**
   * Handles a micro-batch, returning one result per item, in order. Throwing fails the whole batch:
   * the runner then splits it to find the message at fault. Must be idempotent per item (a batch
   * may be retried, split, or redelivered after a crash).
   */
  handleBatch(items: ReadonlyArray<BatchItem<Input>>, context: BatchContext): Promise<ItemResult[]>;
  /** Told when a message goes to the DLQ, to mark what it concerned (task, delivery) dead. Best effort. */
  onDead?(input: Input, reason: string, context: ActorContext): Promise<void>;
  /** Dependencies whose open breaker pauses this actor's consumption (the database's always does). */
  breakers?: readonly CircuitBreaker[];
  /** Micro-batch bounds. Default 64 messages or 20 ms. */
  batch?: { maxSize: number; maxWaitMs: number };
  /** Batches handled at once per durable. Default 2 (one handled while the next fills). */
  concurrency?: number;
  /**
   * Messages held at once per durable (pulled, not yet settled); pulls wait while it is reached, so
   * what this instance cannot start on soon stays in JetStream for another. Default
   * `batch.maxSize × concurrency`. An actor whose batches are mostly waiting (on GitHub, Codegen)
   * sets `concurrency` to at least this, so no message it holds waits for a batch slot.
   */
  maxHeld?: number;
}
