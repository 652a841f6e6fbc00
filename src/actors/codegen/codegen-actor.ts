import type { EntityManager } from '@mikro-orm/postgresql';
import { defer, lastValueFrom } from 'rxjs';
import { decodeTaskMessage, type TaskEnvelope } from '../../bus/decode-task-message.js';
import { rulesFor } from '../../config/load-rules.js';
import type { RulesFile } from '../../config/rules-schema.js';
import type { CodegenClient, CodegenRun } from '../../effects/codegen/create-codegen-client.js';
import type { Task } from '../../effects/db/entities/task.js';
import { TaskSchema } from '../../effects/db/entities/task.js';
import { countFixRuns, finishAttempt, findTask, markTaskDead, startAttempt, transitionTask, type TaskTransitionListener } from '../../effects/db/task-store.js';
import { isDatabaseUnavailable } from '../../effects/db/is-database-unavailable.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { describeError, isRetryable } from '../../errors/classify.js';
import type { Metrics } from '../../observability/metrics.js';
import type { CircuitBreaker } from '../../operators/circuit-breaker.js';
import { circuitOpenError } from '../../errors/circuit-open-error.js';
import { withCircuitBreaker } from '../../operators/with-circuit-breaker.js';
import type { ActorContext, ActorDefinition } from '../actor-definition.js';
import type { AttemptLeaseKeeper } from '../attempt-lease-keeper.js';
import { createPacedCall } from '../create-paced-call.js';
import { leaseWaitSeconds } from '../lease-wait.js';
import { handlePerMessage } from '../handle-per-message.js';
import { taskMessageKey } from '../task-message-key.js';
import { creatingMarker, creatingSince, outcomeUnknown } from './codegen-run-marker.js';
import { fixRunCapReason } from './fix-run-cap.js';
import { followCodegenRun } from './follow-codegen-run.js';
import { planCodegenPrompt, type CodegenPromptPlan } from './plan-codegen-prompt.js';

export interface CodegenActorOptions {
  codegen: CodegenClient;
  codegenBreaker: CircuitBreaker;
  rules: RulesFile;
  metrics: Metrics;
  onTransition: TaskTransitionListener;
  /** Ownership of the attempts this process runs (their leases). */
  leases: AttemptLeaseKeeper;
  /** Codegen's documented limits, kept by pacing our own calls: agent creations and reads per window. */
  limits?: { create: { limit: number; windowMs: number }; read: { limit: number; windowMs: number } };
  /** Polling of a run: first delay and cap. Defaults 5 s and 20 s (the runner marks the message working meanwhile). */
  pollMs?: number;
  maxPollMs?: number;
  maxFollowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const DONE = new Set(['succeeded', 'failed', 'skipped', 'dead']);

/**
 * Runs codegen_trigger tasks: one Codegen agent run per (repository, head SHA, purpose). Waits
 * for the coalescing window so a burst of failures lands in one prompt, respects the per-pull-
 * request cap, starts the run, stores its id and URL before anything else can fail, and follows
 * it to its end. A redelivered message resumes following the stored run instead of starting
 * another; only an operator's retry (which clears the run) starts a new one.
 */
export function createCodegenActor(options: CodegenActorOptions): ActorDefinition<TaskEnvelope> {
  const { codegen, codegenBreaker, metrics, onTransition, leases } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limits = options.limits ?? { create: { limit: 10, windowMs: 60_000 }, read: { limit: 60, windowMs: 30_000 } };
  const createBudget = createPacedCall({ ...limits.create, onLimited: () => metrics.rateLimited.inc({ scope: 'codegen_create' }) });
  const readBudget = createPacedCall({ ...limits.read, onLimited: () => metrics.rateLimited.inc({ scope: 'codegen_read' }) });
  const guarded = <T>(fn: () => Promise<T>) => lastValueFrom(defer(fn).pipe(withCircuitBreaker(codegenBreaker)));
  // A read: wait for the read budget, then go through the Codegen breaker. A breaker that is known
  // to refuse spends no slot of the budget.
  const read = <T>(fn: () => Promise<T>) => {
    if (!codegenBreaker.canPass()) return Promise.reject(circuitOpenError(codegenBreaker));
    return readBudget(() => guarded(fn));
  };

  const storeStatus = (em: EntityManager, taskId: string) => async (run: CodegenRun) => {
    await transitionTask(em, taskId, 'running', {
      codegenRunStatus: run.status,
      ...(run.webUrl ? { codegenWebUrl: run.webUrl } : {}),
    });
  };

  const start = async (em: EntityManager, task: Task, context: ActorContext): Promise<'started' | 'finished'> => {
    const rules = rulesFor(options.rules, task.repository);
    if (task.purpose === 'fix' && task.pullRequestNumber !== null) {
      const earlierRuns = (await countFixRuns(em, task.repository, task.pullRequestNumber)) - 1;
      const capped = fixRunCapReason({ pullRequestNumber: task.pullRequestNumber, earlierRuns, cap: rules.maxFixRunsPerPullRequest });
      if (capped) {
        await transitionTask(em, task.id, 'skipped', { reason: capped }, { onTransition });
        return 'finished';
      }
    }
    // A creation waits for Codegen's creation budget before anything else: the prompt is then built
    // from every analysis linked by the time the run can really start.
    if (!codegenBreaker.canPass()) throw circuitOpenError(codegenBreaker);
    return createBudget(() => startNow(em, task, context));
  };

  const startNow = async (em: EntityManager, task: Task, context: ActorContext): Promise<'started' | 'finished'> => {
    const rules = rulesFor(options.rules, task.repository);
    const analyses = await em.find(TaskSchema, { triggerTaskId: task.id }, { orderBy: { createdAt: 'asc' }, refresh: true });
    const { prompt, findings, reason } = planCodegenPrompt(task, analyses, rules);
    // While Codegen is known to be down, wait in JetStream without opening an attempt per delivery.
    if (!codegenBreaker.canPass()) throw circuitOpenError(codegenBreaker);
    const attempt = await startAttempt(em, task.id, { onTransition, owner: leases.owner, leaseMs: leases.leaseMs, reclaim: leases.reclaimable() }).catch(
      (error: unknown) => {
        // Another worker holds the task under a live lease (a second message for it): let that one
        // finish, and look again when its lease would run out.
        if (isAppError(error) && error.code === 'conflict' && typeof error.details?.leaseLeftMs === 'number') {
          const retryAfterSeconds = leaseWaitSeconds(error.details.leaseLeftMs, context.message.info.deliveryCount);
          throw new AppError('deferred', 'another worker is starting this run', { retryAfterSeconds, cause: error });
        }
        throw error;
      },
    );
    const key = { taskId: task.id, number: attempt.number };
    leases.hold(key);
    try {
      const outcome = await createOrAdopt(em, task, { number: attempt.number, prompt, analyses, findings, reason }, context);
      leases.release(key);
      return outcome;
    } catch (error) {
      // The database went away before the attempt's outcome was written: let the next delivery take it over.
      leases.release(key, { gaveUp: isDatabaseUnavailable(error) });
      throw error;
    }
  };

  /** Starts the run of attempt `number` (or adopts the one an earlier attempt may have created), and stores it. */
  const createOrAdopt = async (
    em: EntityManager,
    task: Task,
    planned: CodegenPromptPlan & { number: number; analyses: Task[] },
    context: ActorContext,
  ): Promise<'started' | 'finished'> => {
    const { prompt, analyses, findings, reason } = planned;
    const attempt = { number: planned.number };
    // A previous attempt may have created a run we never heard back about (a timeout, or a crash
    // between Codegen's answer and our write): adopt it rather than start a second one.
    const pending = creatingSince(task.codegenRunStatus);
    try {
      const adopted =
        pending === undefined ? undefined : await read(() => codegen.findRunForTask(task.id, pending));
      let run: CodegenRun;
      if (adopted) {
        run = adopted;
        context.log.warn({ codegen_run_id: run.id }, 'adopted the Codegen run of an attempt whose outcome was unknown');
      } else {
        await transitionTask(em, task.id, 'running', { codegenRunStatus: creatingMarker(pending ?? attempt.number) });
        run = await guarded(() =>
          codegen.createRun({
            prompt,
            metadata: {
              source: 'webhook-orchestrator',
              task_id: task.id,
              attempt: attempt.number,
              repository: task.repository,
              head_sha: task.headSha,
              purpose: task.purpose,
            },
          }),
        );
        metrics.codegenRuns.inc({ status: 'created' });
      }
      await transitionTask(em, task.id, 'running', {
        codegenRunId: run.id,
        codegenRunStatus: run.status,
        codegenWebUrl: run.webUrl ?? null,
        findings: { prompt, analyses: analyses.map((analysis) => analysis.id), ...findings },
        reason: `Codegen ${task.purpose} run ${run.id} started for ${task.repository}@${task.headSha?.slice(0, 7)}. ${reason}`,
      });
      context.log.info({ codegen_run_id: run.id, web_url: run.webUrl }, 'Codegen run started');
      return 'started';
    } catch (error) {
      if (isAppError(error) && error.code === 'payment_required') {
        await finishAttempt(em, task.id, attempt.number, 'failed', {
          status: 'failed',
          error: describeError(error),
          codegenRunStatus: null,
          reason: 'Not started: Codegen answered 402 — the organisation has used up its agent allowance. Retry the task once it is topped up.',
        }, { onTransition });
        return 'finished';
      }
      const outcome = isRetryable(error) ? 'retrying' : 'dead';
      await finishAttempt(em, task.id, attempt.number, outcome, {
        status: outcome,
        error: describeError(error),
        // Keep the marker only when Codegen may have created the run: the next attempt looks for it.
        codegenRunStatus: pending !== undefined || outcomeUnknown(error) ? creatingMarker(pending ?? attempt.number) : null,
        ...(outcome === 'dead' ? { reason: `Codegen refused the run: ${describeError(error)}.` } : {}),
      }, { onTransition });
      throw error;
    }
  };

  return {
    name: 'codegen',
    stream: 'TASKS',
    breakers: [codegenBreaker],
    durables: ['actor_codegen'],
    decode: decodeTaskMessage,
    dedupeKey: taskMessageKey,
    logFields: (envelope) => ({ task_id: envelope.taskId, task_type: envelope.taskType }),
    // Each trigger is its own long story (coalescing wait, creation, following the run for minutes):
    // one message per batch, up to 16 at once, so no trigger waits for another's run to end.
    batch: { maxSize: 1, maxWaitMs: 0 },
    concurrency: 16,
    handleBatch: handlePerMessage<TaskEnvelope>(async (envelope, context) => {
      const { em } = context;
      const found = await findTask(em, envelope.taskId);
      if (!found) throw new AppError('permanent_failure', `task ${envelope.taskId} does not exist`);
      let task = found;
      if (DONE.has(task.status)) return 'duplicate';
      if (!codegen.configured) {
        await transitionTask(em, task.id, 'skipped', {
          reason: 'Not started: Codegen is not configured (set CODEGEN_TOKEN and CODEGEN_ORG_ID).',
        }, { onTransition });
        return 'skipped';
      }
      if (task.codegenRunId === null) {
        const waitMs = rulesFor(options.rules, task.repository).coalesceWindowSeconds * 1000 - (now() - task.createdAt.getTime());
        if (waitMs > 0) {
          throw new AppError('deferred', 'waiting for the rest of a burst of failures on this commit', {
            retryAfterSeconds: Math.max(0.05, waitMs / 1000),
          });
        }
        if ((await start(em, task, context)) === 'finished') return 'processed';
        task = (await findTask(em, task.id))!;
      }
      // The attempt stays open while the run is followed: keep its lease alive (a redelivery after
      // a crash adopts it here), so neither another worker nor an operator's retry starts a second run.
      const attempt = { taskId: task.id, number: task.attemptCount };
      leases.hold(attempt);
      try {
        const run = await followCodegenRun({
          getRun: (runId) => read(() => codegen.getRun(runId)),
          runId: task.codegenRunId!,
          pollMs: options.pollMs ?? 5000,
          maxPollMs: options.maxPollMs ?? 20_000,
          maxFollowMs: options.maxFollowMs ?? 30 * 60_000,
          onStatus: storeStatus(em, task.id),
          working: context.working,
          stopping: context.stopping,
          sleep,
          now,
        });
        metrics.codegenRuns.inc({ status: run.state });
        const succeeded = run.state === 'completed';
        const summary = run.summary ?? run.result ?? null;
        await finishAttempt(em, task.id, task.attemptCount, succeeded ? 'succeeded' : 'failed', {
          status: succeeded ? 'succeeded' : 'failed',
          codegenRunStatus: run.status,
          codegenResult: summary,
          ...(succeeded ? {} : { error: `Codegen run ${run.id} ended ${run.status}` }),
        }, { onTransition });
        leases.release(attempt);
        context.log.info({ codegen_run_id: run.id, status: run.status }, 'Codegen run ended');
        return succeeded ? 'processed' : 'failed';
      } catch (error) {
        leases.release(attempt, { gaveUp: true });
        throw error;
      }
    }, 1),
    async onDead(envelope, reason, { em }) {
      await markTaskDead(em, envelope.taskId, reason, { onTransition });
    },
  };
}
