import type { JsMsg } from '@nats-io/jetstream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../observability/logger.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';

/** How a handled message ended, for the delivery record and `orchestrator_events_processed_total`. */
export type ActorOutcome = 'processed' | 'ignored' | 'duplicate' | 'skipped' | 'failed';

/** What a handler gets for one message: a fresh unit of work and a logger carrying its ids. */
export interface ActorContext {
  em: EntityManager;
  log: Logger;
  message: JsMsg;
  /** Resets the message's ack timer; call during long work (the runner also does it periodically). */
  working(): void;
  /** True once the actor is stopping: long work should yield (throw) so the message is redelivered. */
  stopping(): boolean;
}

/**
 * One actor: which durable consumers feed it, how a message becomes its input, and what it does.
 * The runner supplies the pipeline (dedupe ▸ rate limit ▸ breaker ▸ retry ▸ handler ▸ settle).
 */
export interface ActorDefinition<Input> {
  /** Metrics and logs label, e.g. `pull_request`. */
  name: string;
  /** Logical stream name (`GITHUB`, `TASKS`) and its durables, as in streams/consumers/. */
  stream: 'GITHUB' | 'TASKS';
  durables: readonly string[];
  decode(message: JsMsg): Promise<Input>;
  /** Fields for every log line of this message (delivery id, event, task id). */
  logFields(input: Input): Record<string, unknown>;
  handle(input: Input, context: ActorContext): Promise<ActorOutcome>;
  /** Told when a message goes to the DLQ, to mark what it concerned (task, delivery) dead. Best effort. */
  onDead?(input: Input, reason: string, context: ActorContext): Promise<void>;
  /** Dependencies whose open breaker pauses this actor's consumption (the database's always does). */
  breakers?: readonly CircuitBreaker[];
  /** Messages handled at once per durable. Default 16. */
  concurrency?: number;
  /** At most `limit` messages started per `windowMs` (the actor's share of a dependency's budget). */
  rateLimit?: { limit: number; windowMs: number };
}
