import { SpanStatusCode } from '@opentelemetry/api';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  catchError,
  combineLatest,
  defer,
  distinctUntilChanged,
  EMPTY,
  lastValueFrom,
  map,
  mergeMap,
  of,
  Subject,
  switchMap,
  takeUntil,
  tap,
} from 'rxjs';
import { consumeMessages } from '../bus/consume-messages.js';
import type { DeadLetterWriter } from '../bus/dead-letter.js';
import { settleMessage, type Settlement } from '../bus/settle-message.js';
import type { Topology } from '../contracts/topology.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { withProcessSpan } from '../observability/messaging-spans.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import { rateLimitWindow } from '../operators/rate-limit-window.js';
import { retryBackoff } from '../operators/retry-backoff.js';
import type { ActorContext, ActorDefinition } from './actor-definition.js';
import { DEFAULT_FAILURE_POLICY, failureSettlement, type FailurePolicy } from './failure-settlement.js';
import { underDatabaseBreaker } from './under-database-breaker.js';

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
  /** Messages per pull. Default 16. */
  batch?: number;
  /** How often a long handler's message is marked working (below the consumer's ack_wait). Default 10 s. */
  workingIntervalMs?: number;
}

export interface RunningActor {
  name: string;
  /** Stops pulling, lets handlers in flight finish within `timeoutMs`, then abandons the rest. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * Runs an actor on each of its durable consumers as one RxJS pipeline:
 * pull ▸ rate limit ▸ database breaker ▸ handler with in-process retry ▸ settle (ack | nak(delay) | DLQ).
 * In-flight work is bounded by `concurrency` here and by max_ack_pending on the server.
 */
export function runActor<Input>(definition: ActorDefinition<Input>, runtime: ActorRuntime): RunningActor {
  const { metrics, databaseBreaker } = runtime;
  const policy = runtime.failurePolicy ?? DEFAULT_FAILURE_POLICY;
  const actorLog = runtime.logger.child({ component: 'actor', actor: definition.name });
  const stopPulling = new Subject<void>();
  // Series exist from the start (at 0), so rates and increase() see an actor's first event.
  for (const outcome of ['processed', 'ignored', 'duplicate', 'skipped', 'failed', 'retry', 'dead']) {
    metrics.eventsProcessed.inc({ actor: definition.name, outcome }, 0);
  }
  metrics.retries.inc({ actor: definition.name }, 0);
  metrics.deadLetters.inc({ actor: definition.name }, 0);
  let stopping = false;

  const handleMessage = (message: JsMsg) => {
    const started = seconds();
    return defer(() =>
      withProcessSpan(message, async (span) => {
        const working = setInterval(() => message.working(), runtime.workingIntervalMs ?? 10_000);
        let log = actorLog.child({ seq: message.seq, delivery: message.info.deliveryCount });
        let input: Input | undefined;
        let decorated = false;
        const contextFor = (): ActorContext => ({
          em: runtime.orm.em.fork(),
          log,
          message,
          working: () => message.working(),
          stopping: () => stopping,
        });
        try {
          const settlement = await lastValueFrom(
            defer(() =>
              underDatabaseBreaker(databaseBreaker, async () => {
                input ??= await definition.decode(message);
                if (!decorated) {
                  log = log.child(definition.logFields(input));
                  decorated = true;
                }
                return definition.handle(input, contextFor());
              }),
            ).pipe(
              retryBackoff({
                maxRetries: 2,
                backoff: { strategy: 'exponential', baseMs: 200, maxMs: 2000, jitter: 'full' },
                onRetry: ({ attempt, delayMs, error }) => {
                  metrics.retries.inc({ actor: definition.name });
                  log.info({ attempt, delay_ms: delayMs, err: error }, 'retrying in process');
                },
              }),
              map((outcome): Settlement => ({ kind: 'ack', outcome })),
              catchError((error: unknown) => {
                if (stopping && !(error instanceof AppError)) return of<Settlement>({ kind: 'abandon', reason: 'stopping' });
                const settlement = failureSettlement(message, error, policy);
                if (settlement.kind === 'retry') metrics.retries.inc({ actor: definition.name });
                log.warn({ err: error, settlement: settlement.kind }, 'handler failed');
                return of(settlement);
              }),
            ),
          );
          if (settlement.kind === 'dead' && input !== undefined && definition.onDead) {
            await definition.onDead(input, settlement.reason, contextFor()).catch((error: unknown) =>
              log.warn({ err: error }, 'could not mark the dead message\'s work as dead'),
            );
          }
          await settleMessage(message, settlement, { deadLetter: runtime.deadLetter, logger: log });
          const outcome = settlement.kind === 'ack' ? settlement.outcome : settlement.kind;
          if (settlement.kind === 'dead') {
            metrics.deadLetters.inc({ actor: definition.name });
            span.setStatus({ code: SpanStatusCode.ERROR, message: settlement.reason });
          }
          metrics.eventsProcessed.inc({ actor: definition.name, outcome });
          metrics.eventProcessingDuration.observe({ actor: definition.name }, seconds() - started);
          log.info({ outcome }, 'message settled');
        } finally {
          clearInterval(working);
        }
      }, { 'orchestrator.actor': definition.name }),
    ).pipe(catchError((error: unknown) => {
      // Settling itself failed (NATS gone): the message will be redelivered after ack_wait.
      actorLog.error({ err: error, seq: message.seq }, 'could not settle a message');
      return EMPTY;
    }));
  };

  const pipelines = definition.durables.map(async (durable) => {
    const streamName = runtime.topology.streamName(definition.stream);
    const consumer = await runtime.js.consumers.get(streamName, durable);
    const durableLog = actorLog.child({ durable });
    // While a dependency's breaker is open, stop pulling: messages wait in JetStream undelivered
    // (costing no delivery attempts). Half-open pulls one message at a time as the probe.
    const source = combineLatest([databaseBreaker, ...(definition.breakers ?? [])].map((breaker) => breaker.state$)).pipe(
      map((states) => (states.includes('open') ? 'paused' : states.includes('half_open') ? 'probing' : 'flowing')),
      distinctUntilChanged(),
      tap((mode) => durableLog.debug({ mode }, 'consumption mode')),
      switchMap((mode) =>
        mode === 'paused' ? EMPTY : consumeMessages({ consumer, batch: mode === 'probing' ? 1 : (runtime.batch ?? 16), logger: durableLog }),
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
    const limited = definition.rateLimit
      ? source.pipe(
          rateLimitWindow({
            ...definition.rateLimit,
            onLimited: () => metrics.rateLimited.inc({ scope: `actor_${definition.name}` }),
          }),
        )
      : source;
    await lastValueFrom(
      limited.pipe(
        takeUntil(stopPulling),
        mergeMap((message) => handleMessage(message), definition.concurrency ?? 16),
      ),
      { defaultValue: undefined },
    );
  });
  const done = Promise.allSettled(pipelines).then((results) => {
    for (const result of results) {
      if (result.status === 'rejected') actorLog.error({ err: result.reason }, 'actor pipeline ended with an error');
    }
  });
  actorLog.info({ durables: definition.durables }, 'actor started');

  return {
    name: definition.name,
    async stop(timeoutMs) {
      stopping = true;
      stopPulling.next();
      stopPulling.complete();
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((resolve) => {
        timeout = setTimeout(() => resolve('expired'), timeoutMs);
      });
      const ended = await Promise.race([done.then(() => 'done' as const), expired]);
      clearTimeout(timeout);
      if (ended === 'expired') actorLog.warn('handlers still running at stop; their messages will be redelivered');
    },
  };
}

function seconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}
