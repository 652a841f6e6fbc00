import { context as otelContext, isSpanContextValid, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  combineLatest,
  defer,
  distinctUntilChanged,
  EMPTY,
  lastValueFrom,
  map,
  mergeMap,
  Subject,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import { consumeMessages } from '../bus/consume-messages.js';
import { createPullCredit, type PullCredit } from '../bus/pull-credit.js';
import type { DeadLetterWriter } from '../bus/dead-letter.js';
import { settleMessage, type Settlement } from '../bus/settle-message.js';
import type { Topology } from '../contracts/topology.js';
import { isDatabaseUnavailable } from '../effects/db/is-database-unavailable.js';
import { databaseRefusal, isRejectedByDatabase } from '../effects/db/is-rejected-by-database.js';
import { AppError, isAppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { processContext, startProcessSpan } from '../observability/messaging-spans.js';
import { bufferBatch } from '../operators/buffer-batch.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import { dedupeByKey } from '../operators/dedupe-by-key.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import { withCircuitBreaker } from '../operators/with-circuit-breaker.js';
import type { ActorDefinition, ActorOutcome, BatchItem, ItemResult } from './actor-definition.js';
import { DEFAULT_FAILURE_POLICY, failureSettlement, type FailurePolicy } from './failure-settlement.js';
import { isTransientBatchFailure } from './is-transient-batch-failure.js';
import { outageWaitCapMs } from './outage-wait-cap.js';

export interface ActorRuntime {
  js: JetStreamClient;
  orm: MikroORM;
  topology: Topology;
  logger: Logger;
  metrics: Metrics;
  deadLetter: DeadLetterWriter;
  /** Shared by every actor: an unreachable database pauses them all, instead of each failing alone. */
  databaseBreaker: CircuitBreaker;
  failurePolicy?: FailurePolicy;
  /**
   * Messages per pull request to the server, at most. Default: twice the batch size, so the next
   * batch fills while one is handled. A pull never asks for more than the actor's free slots
   * (`ActorDefinition.maxHeld`).
   */
  pull?: number;
  /** How often held messages are marked working. Default a third of the consumer's ack_wait. */
  workingIntervalMs?: number;
  /** How long a first delivery's key is remembered by the in-memory dedupe. Default 10 min. */
  dedupeWindowMs?: number;
  /**
   * The webhook endpoint's priority over the actors on the shared event loop (IngressPriority):
   * `admitBatch` runs a CPU-bound batch, `waitTurn` is awaited before an I/O-bound one starts.
   */
  admitBatch?: <T>(batch: () => Promise<T>) => Promise<T>;
  waitTurn?: () => Promise<void>;
}

export interface RunningActor {
  name: string;
  /** Stops pulling, lets batches in flight finish within `timeoutMs`, then abandons the rest. */
  stop(timeoutMs: number): Promise<void>;
}

const OUTCOMES: ReadonlyArray<ActorOutcome | 'retry' | 'dead'> = ['processed', 'ignored', 'duplicate', 'skipped', 'failed', 'retry', 'dead'];
// 64, not more: a GITHUB actor holds two batches and a pull's worth of messages (their bodies and
// socket buffers), and at 128 that alone put the drain's peak RSS over 150 MB (e2e load, three runs
// each: 151-155 MB at 128, 145-148 MB at 64) for no measurable gain in CPU per delivery.
const DEFAULT_BATCH = { maxSize: 64, maxWaitMs: 20 };

/**
 * Runs an actor on each of its durable consumers as one RxJS pipeline (the order is described on
 * {@link ActorDefinition}). In-flight work is bounded by the consumer's max_ack_pending on the
 * server and by `concurrency` batches here; every message is settled exactly once.
 */
export function runActor<Input>(definition: ActorDefinition<Input>, runtime: ActorRuntime): RunningActor {
  const { metrics, databaseBreaker } = runtime;
  const basePolicy = runtime.failurePolicy ?? DEFAULT_FAILURE_POLICY;
  // Each durable's own max_deliver (streams/consumers/*.json), read from the server once it is bound.
  const maxDeliverOf = new Map<string, number>();
  const policyFor = (message: JsMsg): FailurePolicy => {
    const maxDeliver = maxDeliverOf.get(message.info.consumer);
    return maxDeliver === undefined ? basePolicy : { ...basePolicy, maxDeliver };
  };
  const breakers = [databaseBreaker, ...(definition.breakers ?? [])];
  const batchBounds = definition.batch ?? DEFAULT_BATCH;
  // Every actor yields to a crowded webhook endpoint. The batched GITHUB-stream actors' batches are
  // CPU and database work, the cost that competes with the endpoint: they take the shared slot and
  // pause after it. The TASKS actors wait on GitHub or Codegen for most of a batch (a Codegen message
  // for minutes); holding the shared slot through that wait would stall every other actor, so they
  // only wait their turn before they start.
  const cpuBound = batchBounds.maxSize > 1 && definition.stream === 'GITHUB';
  const { admitBatch, waitTurn } = runtime;
  const admit: (<T>(batch: () => Promise<T>) => Promise<T>) | undefined = cpuBound
    ? admitBatch
    : waitTurn && (async (batch) => {
        await waitTurn();
        return batch();
      });
  const actorLog = runtime.logger.child({ component: 'actor', actor: definition.name });
  const stopPulling = new Subject<void>();
  // Series exist from the start (at 0), so rates and increase() see an actor's first event.
  for (const outcome of OUTCOMES) metrics.eventsProcessed.inc({ actor: definition.name, outcome }, 0);
  metrics.eventProcessingDuration.zero({ actor: definition.name });
  metrics.retries.inc({ actor: definition.name }, 0);
  metrics.deadLetters.inc({ actor: definition.name }, 0);
  let stopping = false;

  // Every message between its pull and its settlement, marked working on one shared timer, so a
  // message waiting in a batch, a pacer or a slow call is not redelivered under us.
  const held = new Set<JsMsg>();
  // Per durable, the slots of the messages it holds: a pull asks only for free ones, so this
  // instance never hoards messages it cannot start on while another instance could.
  const maxHeld = definition.maxHeld ?? batchBounds.maxSize * (definition.concurrency ?? 2);
  const credits = new Map<string, PullCredit>();
  // Messages whose batch has begun (decoding on): the ones a stop lets finish.
  const begun = new WeakSet<JsMsg>();
  /** The message is settled (or handed back): it is no longer held, and its slot is free. */
  const forget = (message: JsMsg) => {
    if (held.delete(message)) credits.get(message.info.consumer)?.release();
  };
  let heartbeat: NodeJS.Timeout | undefined;
  // A third of ack_wait, read from the server once the first durable is bound: a late tick or two
  // never lets a message be redelivered under us, and ack_wait can stay short, so a crashed
  // instance's messages come back to the others within seconds.
  const startHeartbeat = (ackWaitNanos: number | undefined) => {
    if (heartbeat || stopping) return;
    const everyMs = runtime.workingIntervalMs ?? Math.max(100, Math.floor((ackWaitNanos ? ackWaitNanos / 1e6 : 30_000) / 3));
    heartbeat = setInterval(() => {
      for (const message of held) message.working();
    }, everyMs);
    heartbeat.unref();
  };

  const record = (outcome: string, started: number) => {
    metrics.eventsProcessed.inc({ actor: definition.name, outcome });
    metrics.eventProcessingDuration.observe({ actor: definition.name }, seconds() - started);
  };

  /** Settles one message for good and forgets it. */
  const settle = async (message: JsMsg, settlement: Settlement, log: Logger, started: number, span?: Span, input?: Input) => {
    try {
      if (settlement.kind === 'dead' && input !== undefined && definition.onDead) {
        await definition
          .onDead(input, settlement.reason, { em: runtime.orm.em.fork(), log, message, working: () => message.working(), stopping: () => stopping })
          .catch((error: unknown) => log.warn({ err: error }, "could not mark the dead message's work as dead"));
      }
      await settleMessage(message, settlement, { deadLetter: runtime.deadLetter, logger: log });
      const outcome = settlement.kind === 'ack' ? settlement.outcome : settlement.kind;
      if (settlement.kind === 'dead') {
        metrics.deadLetters.inc({ actor: definition.name });
        span?.setStatus({ code: SpanStatusCode.ERROR, message: settlement.reason });
      }
      if (settlement.kind === 'retry') metrics.retries.inc({ actor: definition.name });
      if (settlement.kind !== 'abandon' && settlement.kind !== 'release') record(outcome, started);
      if (settlement.kind === 'ack' || settlement.kind === 'release') log.debug({ outcome }, 'message settled');
      else log.info({ outcome, reason: 'reason' in settlement ? settlement.reason : undefined }, 'message settled');
    } catch (error) {
      // Settling itself failed (NATS gone): the message will be redelivered after ack_wait.
      log.error({ err: error }, 'could not settle a message');
    } finally {
      forget(message);
      span?.end();
    }
  };

  const settlementFor = (message: JsMsg, result: ItemResult, log: Logger): Settlement => {
    if (typeof result === 'string') return { kind: 'ack', outcome: result };
    const { error } = result;
    if (stopping && !isAppError(error)) return { kind: 'abandon', reason: 'stopping' };
    const settlement = failureSettlement(message, error, policyFor(message), outageWaitCapMs(error, breakers));
    log.warn({ err: error, settlement: settlement.kind }, 'handler failed');
    return settlement;
  };

  interface Traced {
    item: BatchItem<Input>;
    span: Span;
  }

  /** Handles items as one batch; a batch that fails is split in halves until the culprit stands alone. */
  const runBatch = async (traced: Traced[], started: number): Promise<void> => {
    const items = traced.map((t) => t.item);
    let results: ItemResult[];
    try {
      // The batch's shared statements are traced in its first message's trace; per-message work
      // (an outbound call) runs in its own message's context (BatchItem.trace).
      results = await lastValueFrom(
        defer(() =>
          otelContext.with(items[0]!.trace, () => definition.handleBatch(items, {
            em: runtime.orm.em.fork(),
            log: actorLog,
            working: () => items.forEach((item) => item.message.working()),
            stopping: () => stopping,
          }).then(failOnOutage)),
        ).pipe(
          withCircuitBreaker(databaseBreaker),
          retryBackoff({
            maxRetries: 2,
            shouldRetry: (error) => !stopping && isTransientBatchFailure(error),
            backoff: { strategy: 'exponential', baseMs: 200, maxMs: 2000, jitter: 'full' },
            onRetry: ({ attempt, delayMs, error }) => {
              metrics.retries.inc({ actor: definition.name });
              actorLog.info({ attempt, delay_ms: delayMs, size: items.length, err: error }, 'retrying a batch in process');
            },
          }),
        ),
      );
      if (results.length !== items.length) {
        throw new Error(`${definition.name}: handleBatch returned ${results.length} results for ${items.length} items`);
      }
    } catch (error) {
      // An outage is no message's fault: the whole batch waits for the breaker, unsplit.
      const wholeBatch = (isAppError(error) && error.code === 'circuit_open') || isDatabaseUnavailable(error);
      if (traced.length > 1 && !wholeBatch && !stopping) {
        const half = Math.ceil(traced.length / 2);
        actorLog.warn({ err: error, size: traced.length }, 'batch failed; splitting it to isolate the message at fault');
        await runBatch(traced.slice(0, half), started);
        await runBatch(traced.slice(half), started);
        return;
      }
      // Data PostgreSQL can never store is the message's fault, not the moment's.
      const settled = isRejectedByDatabase(error)
        ? new AppError('permanent_failure', `the database refused this message's data: ${databaseRefusal(error)}`, { cause: error })
        : error;
      results = items.map(() => ({ error: settled }));
    }
    await Promise.all(
      traced.map(({ item, span }, index) =>
        settle(item.message, settlementFor(item.message, results[index]!, item.log), item.log, started, span, item.input),
      ),
    );
  };

  /**
   * Nak without delay the messages still held whose batch has not begun, so another instance takes
   * them now rather than after ack_wait (no attempt was started for them here: no lease stands in
   * the way, and nothing of theirs runs on).
   */
  const handBack = async (messages: Iterable<JsMsg>): Promise<void> => {
    const release: Settlement = { kind: 'release', reason: 'stopping' };
    const started = seconds();
    const waiting = [...messages].filter((message) => held.has(message) && !begun.has(message));
    await Promise.all(waiting.map((message) => settle(message, release, actorLog.child({ seq: message.seq }, true), started)));
  };

  /** Decodes a pulled batch, dead-letters what cannot be decoded, and runs the rest. */
  const processBatch = async (messages: JsMsg[]): Promise<void> => {
    const started = seconds();
    // Stopping: handed back already (see stop), not begun here.
    if (stopping) return handBack(messages);
    for (const message of messages) begun.add(message);
    const traced: Traced[] = [];
    // Decoding runs synchronously up to each decoder's first await (for a message carrying its
    // payload: all of it), the whole batch in one go. The endpoint is protected by admission
    // (IngressPriority), not by interleaving: slices of 16 with the loop given back between them
    // measured worse for the webhook (−15 % req/s, p99 +8 ms in three alternating e2e runs).
    await Promise.all(
      messages.map(async (message) => {
        const span = startProcessSpan(message, { 'orchestrator.actor': definition.name, 'messaging.batch.message_count': messages.length });
        // The message's own trace on every line of its work (the batch runs in no single span's context).
        const spanContext = span.spanContext();
        const traceFields = isSpanContextValid(spanContext) ? { trace_id: spanContext.traceId, span_id: spanContext.spanId } : {};
        // Simple children (fields only, no serializers): bunyan's fast path, as one is made per message.
        const log = actorLog.child({ seq: message.seq, delivery: message.info.deliveryCount, ...traceFields }, true);
        try {
          const input = await definition.decode(message);
          traced.push({ item: { input, message, log: log.child(definition.logFields(input), true), trace: processContext(span) }, span });
        } catch (error) {
          await settle(message, settlementFor(message, { error }, log), log, started, span);
        }
      }),
    );
    if (traced.length > 0) await runBatch(traced, started);
  };

  const pipelines = definition.durables.map(async (durable) => {
    const streamName = runtime.topology.streamName(definition.stream);
    const consumer = await runtime.js.consumers.get(streamName, durable);
    const { config } = await consumer.info(true);
    if (config.max_deliver !== undefined && config.max_deliver > 0) maxDeliverOf.set(config.durable_name ?? durable, config.max_deliver);
    startHeartbeat(config.ack_wait);
    const durableLog = actorLog.child({ durable });
    const credit = createPullCredit(maxHeld);
    credits.set(config.durable_name ?? durable, credit);
    const pull = runtime.pull ?? batchBounds.maxSize * 2;
    // While a dependency's breaker is open, stop pulling: messages wait in JetStream undelivered
    // (costing no delivery attempts). Half-open pulls one message at a time as the probe.
    const source = combineLatest(breakers.map((breaker) => breaker.state$)).pipe(
      map((states) => (states.includes('open') ? 'paused' : states.includes('half_open') ? 'probing' : 'flowing')),
      distinctUntilChanged(),
      tap((mode) => durableLog.debug({ mode }, 'consumption mode')),
      switchMap((mode) =>
        mode === 'paused' ? EMPTY : consumeMessages({ consumer, batch: mode === 'probing' ? 1 : pull, logger: durableLog, credit }),
      ),
      // A consumer that fails (deleted under us, NATS gone for good) is pulled again with backoff:
      // an actor must never stop by itself.
      retryBackoff({
        maxRetries: Infinity,
        shouldRetry: () => !stopping,
        backoff: { strategy: 'exponential', baseMs: 500, maxMs: 30_000, jitter: 'full' },
        onRetry: ({ attempt, error }) => durableLog.warn({ err: error, attempt }, 'consumer failed; pulling again'),
      }),
    );
    await lastValueFrom(
      source.pipe(
        takeUntil(stopPulling),
        tap((message) => held.add(message)),
        dedupeByKey({
          // Only first deliveries are deduped: a redelivery is a message we nak'd on purpose.
          key: (message) => (message.info.deliveryCount === 1 ? definition.dedupeKey?.(message) : undefined),
          windowMs: runtime.dedupeWindowMs ?? 10 * 60_000,
          maxKeys: 20_000,
          onDuplicate: (message) => {
            message.ack();
            forget(message);
            record('duplicate', seconds());
            durableLog.debug({ seq: message.seq }, 'repeat of work seen moments ago: acked without handling');
          },
        }),
        bufferBatch({ maxSize: batchBounds.maxSize, maxWaitMs: batchBounds.maxWaitMs }),
        mergeMap((messages) => (admit ? admit(() => processBatch(messages)) : processBatch(messages)), definition.concurrency ?? 2),
      ),
      { defaultValue: undefined },
    );
  });
  const done = Promise.allSettled(pipelines).then((results) => {
    for (const result of results) {
      if (result.status === 'rejected') actorLog.error({ err: result.reason }, 'actor pipeline ended with an error');
    }
  });
  actorLog.info({ durables: definition.durables, batch: batchBounds }, 'actor started');

  return {
    name: definition.name,
    async stop(timeoutMs) {
      stopping = true;
      stopPulling.next();
      stopPulling.complete();
      // What waits for a batch slot (or in a batch still filling) is not begun: hand it back now.
      await handBack(held);
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timeout = setTimeout(() => resolve('expired'), timeoutMs);
      });
      const ended = await Promise.race([done.then(() => 'done' as const), expired]);
      clearTimeout(timeout);
      if (heartbeat) clearInterval(heartbeat);
      if (ended === 'expired') actorLog.warn({ held: held.size }, 'handlers still running at stop; their messages will be redelivered');
    },
  };
}

/**
 * A per-message handler reports an unreachable database as its item's error, not by throwing:
 * rethrown, so the database breaker counts it (a half-open probe that failed must not close it).
 */
function failOnOutage(results: ItemResult[]): ItemResult[] {
  for (const result of results) {
    if (typeof result !== 'string' && isDatabaseUnavailable(result.error)) throw result.error;
  }
  return results;
}

function seconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}
