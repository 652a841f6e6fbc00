import { context } from '@opentelemetry/api';
import type { EntityManager } from '@mikro-orm/postgresql';
import { defer, from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import type { TaskEnvelope } from '../../bus/decode-task-message.js';
import { decodeTaskMessage } from '../../bus/decode-task-message.js';
import type { TaskPublisher } from '../../bus/task-publisher.js';
import { rulesFor } from '../../config/load-rules.js';
import type { RulesFile } from '../../config/rules-schema.js';
import type { Task } from '../../effects/db/entities/task.js';
import {
  countFixRuns,
  finishAttempts,
  findOrCreateCodegenTrigger,
  markTaskDead,
  startAttempts,
  type AttemptFinish,
  type AttemptStart,
  type StartedAttempt,
  type TaskTransitionListener,
} from '../../effects/db/task-store.js';
import type { GithubClient } from '../../effects/github/create-github-client.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { describeError, isRetryable } from '../../errors/classify.js';
import { circuitOpenError } from '../../errors/circuit-open-error.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { CircuitBreaker } from '../../operators/circuit-breaker.js';
import { withCircuitBreaker } from '../../operators/with-circuit-breaker.js';
import type { ActorDefinition, ItemResult } from '../actor-definition.js';
import type { AttemptLeaseKeeper } from '../attempt-lease-keeper.js';
import { createPacedCall } from '../create-paced-call.js';
import { leaseWaitSeconds } from '../lease-wait.js';
import { taskMessageKey } from '../task-message-key.js';
import type { AnalysisResult } from './analysis-result.js';
import { analyseCheckRun } from './analyse-check-run.js';
import { analyseCheckSuite } from './analyse-check-suite.js';
import { analysePullRequest } from './analyse-pull-request.js';
import { analysePush } from './analyse-push.js';
import { fixRunCapReason } from '../codegen/fix-run-cap.js';

export interface AnalysisActorOptions {
  github: GithubClient;
  githubBreaker: CircuitBreaker;
  rules: RulesFile;
  publishTask: TaskPublisher;
  onTransition: TaskTransitionListener;
  metrics: Metrics;
  /** GitHub calls allowed per window (the token's or installation's points budget, shared by every analysis). */
  githubBudget: { limit: number; windowMs: number };
  /** A fresh unit of work, for the linking of an analysis to its trigger. */
  fork: () => EntityManager;
  /** Ownership of the attempts this process runs (their leases). */
  leases: AttemptLeaseKeeper;
}

const DONE = new Set(['succeeded', 'failed', 'skipped', 'dead']);

/**
 * An analysis mostly waits on GitHub, so what bounds its throughput is how many run at once, not
 * how they are batched: up to 32 messages held per durable, every one of them in a batch being
 * handled (32 batches at once, of at most 16 messages: a trickle of single messages never queues
 * behind a slow call, a burst still shares its statements), all of a batch's calls at once. The
 * GitHub budget still paces every call. Holding no more than it runs leaves the rest in JetStream
 * for another instance, and a message redelivered after a crash starts at once wherever it lands.
 */
const BATCH = { maxSize: 16, maxWaitMs: 20 };
const MAX_HELD = 32;

/** What the planners stored on the task for its analysis (see the plan-*.ts files). */
interface AnalysisInput {
  owner: string;
  repo: string;
  installation_id?: number | null;
  number: number;
  node_id: string;
  head_branch?: string | null;
  ref: string;
  /** Pushes: the SHA the branch pointed at before the push. */
  before?: string | null;
}

/**
 * Runs analysis tasks: read what the task needs through GitHub GraphQL, record findings and a
 * reason, and — when the rules say so — link the task to the one codegen_trigger of its
 * (repository, head SHA, purpose) and queue that trigger. Transient failures (GitHub down, rate
 * limited) leave the task `retrying` and the message waiting in JetStream; permanent ones fail it.
 */
export function createAnalysisActor(options: AnalysisActorOptions): ActorDefinition<TaskEnvelope> {
  const { github, githubBreaker, onTransition, leases } = options;
  const budget = createPacedCall({
    ...options.githubBudget,
    onLimited: () => options.metrics.rateLimited.inc({ scope: 'github_budget' }),
  });
  // Each call: wait for the budget, then go through the GitHub breaker. Without credentials no
  // call leaves the process (it fails as not configured at once), so nothing is spent or paced.
  const guarded = <T>(fn: () => Promise<T>) => lastValueFrom(defer(fn).pipe(withCircuitBreaker(githubBreaker)));
  const call = <T>(fn: () => Promise<T>) => {
    if (!github.configured) return guarded(fn);
    // A breaker known to refuse spends no slot of the budget.
    if (!githubBreaker.canPass()) return Promise.reject(circuitOpenError(githubBreaker));
    return budget(() => guarded(fn));
  };

  const analyse = async (task: Task): Promise<AnalysisResult> => {
    const input = task.input as unknown as AnalysisInput;
    const installationId = input.installation_id ?? undefined;
    const rules = rulesFor(options.rules, task.repository);
    switch (task.taskType) {
      case 'pull_request_analysis': {
        const pr = await call(() => github.pullRequest({ owner: input.owner, repo: input.repo, number: input.number, installationId }));
        return analysePullRequest(pr, { rules, number: input.number, headSha: task.headSha ?? pr.headRefOid });
      }
      case 'check_failure_analysis': {
        const run = await call(() => github.checkRun({ nodeId: input.node_id, installationId }));
        return analyseCheckRun(run, { rules, branch: input.head_branch ?? null });
      }
      case 'check_suite_failure_analysis': {
        const suite = await call(() => github.checkSuite({ nodeId: input.node_id, installationId }));
        return analyseCheckSuite(suite, { rules });
      }
      case 'push_analysis': {
        // `before` bounds the history: only the commits this push brought are "the push".
        const push = await call(() =>
          github.pushCommits({ owner: input.owner, repo: input.repo, sha: task.headSha!, installationId, ...(input.before ? { before: input.before } : {}) }),
        );
        return analysePush(push, { ref: input.ref });
      }
      default:
        throw new AppError('permanent_failure', `the analysis actor does not run ${task.taskType} tasks`);
    }
  };

  /** Links the analysis to its commit's trigger, creating it unless the pull request's cap is reached. */
  const requestRun = async (task: Task, result: AnalysisResult): Promise<{ triggerId?: string; reason: string }> => {
    const trigger = result.trigger!;
    const em = options.fork();
    const rules = rulesFor(options.rules, task.repository);
    if (trigger.purpose === 'fix') {
      const existing = await em.count('Task', { taskType: 'codegen_trigger', repository: task.repository, headSha: trigger.headSha, purpose: 'fix' });
      const runs = await countFixRuns(em, task.repository, trigger.pullRequestNumber);
      const capped = existing === 0 ? fixRunCapReason({ pullRequestNumber: trigger.pullRequestNumber, earlierRuns: runs, cap: rules.maxFixRunsPerPullRequest }) : undefined;
      if (capped) return { reason: `${result.reason} ${capped}` };
    }
    const input = task.input as Record<string, unknown>;
    const { task: triggerTask } = await findOrCreateCodegenTrigger(
      em,
      {
        repository: task.repository,
        deliveryId: task.deliveryId,
        eventType: task.eventType,
        action: task.action,
        pullRequestNumber: trigger.pullRequestNumber,
        headSha: trigger.headSha,
        purpose: trigger.purpose,
        input: { owner: input.owner, repo: input.repo, installation_id: input.installation_id ?? null },
      },
      { onTransition },
    );
    if (triggerTask.status === 'queued' || triggerTask.status === 'retrying') {
      await options.publishTask({ id: triggerTask.id, taskType: 'codegen_trigger', generation: triggerTask.attemptCount });
    }
    return { triggerId: triggerTask.id, reason: result.reason };
  };

  /** Analyses one started task: its result, or the error it failed with. */
  const analyseStarted = async ({ task, number }: StartedAttempt, log: Logger): Promise<AttemptFinish & { item: ItemResult }> => {
    try {
      const result = await analyse(task);
      let reason = result.reason;
      let triggerId: string | undefined;
      if (result.status === 'succeeded' && result.trigger) ({ triggerId, reason } = await requestRun(task, result));
      log.info({ status: result.status, trigger_task_id: triggerId }, reason);
      return {
        taskId: task.id,
        number,
        outcome: result.status === 'skipped' ? 'skipped' : 'succeeded',
        result: { status: result.status, findings: result.findings, reason, ...(triggerId ? { triggerTaskId: triggerId } : {}) },
        item: result.status === 'skipped' ? 'skipped' : 'processed',
      };
    } catch (error) {
      // Not configured is an answer, not a fault: the task fails with that reason and the message is done.
      // Other permanent errors go to the DLQ (the runner), the task `dead`; transient ones wait in JetStream.
      const configured = !(isAppError(error) && error.code === 'not_configured');
      const outcome = !configured ? 'failed' : isRetryable(error) ? 'retrying' : 'dead';
      return {
        taskId: task.id,
        number,
        outcome,
        result: { status: outcome, error: describeError(error), ...(outcome === 'retrying' ? {} : { reason: failureReason(error) }) },
        item: configured ? { error } : 'failed',
      };
    }
  };

  return {
    name: 'analysis',
    stream: 'TASKS',
    breakers: [githubBreaker],
    durables: ['actor_analysis'],
    batch: BATCH,
    concurrency: MAX_HELD,
    maxHeld: MAX_HELD,
    decode: decodeTaskMessage,
    dedupeKey: taskMessageKey,
    logFields: (envelope) => ({ task_id: envelope.taskId, task_type: envelope.taskType }),
    /**
     * A batch: start every attempt in one statement ▸ the GitHub calls, all at once, each paced
     * by the GitHub budget ▸ close every attempt in one statement.
     */
    async handleBatch(items, { em }): Promise<ItemResult[]> {
      // While GitHub is known to be down, wait in JetStream without opening an attempt per message.
      if (github.configured && !githubBreaker.canPass()) return items.map(() => ({ error: circuitOpenError(githubBreaker) }));
      const results = new Array<ItemResult>(items.length);
      const first = new Map<string, number>();
      items.forEach((item, index) => {
        if (first.has(item.input.taskId)) results[index] = 'duplicate';
        else first.set(item.input.taskId, index);
      });
      const ids = [...first.keys()];
      const starts = await startAttempts(em, ids, { onTransition, owner: leases.owner, leaseMs: leases.leaseMs, reclaim: leases.reclaimable() });
      const started: Array<{ index: number; attempt: StartedAttempt }> = [];
      starts.forEach((start, i) => {
        const index = first.get(ids[i]!)!;
        if (start.started) started.push({ index, attempt: start.attempt });
        else results[index] = refusal(start, items[index]!.message.info.deliveryCount);
      });
      for (const { attempt } of started) leases.hold({ taskId: attempt.task.id, number: attempt.number });
      let recorded: Array<Task | AppError> | undefined;
      try {
        const finishes = await lastValueFrom(
          from(started).pipe(
            mergeMap(async ({ index, attempt }) => {
              const log = items[index]!.log.child({ delivery_id: attempt.task.deliveryId, repository: attempt.task.repository }, true);
              return { index, finish: await context.with(items[index]!.trace, () => analyseStarted(attempt, log)) };
            }, BATCH.maxSize),
            toArray(),
          ),
          { defaultValue: [] },
        );
        recorded = await finishAttempts(em, finishes.map(({ finish }) => finish), { onTransition });
        finishes.forEach(({ index, finish }, i) => {
          const closed = recorded![i];
          // An attempt that could not be closed is not acked: its message comes back and tries again.
          results[index] = closed instanceof AppError ? { error: closed } : finish.item;
        });
        return results;
      } finally {
        // Outcomes that were not recorded (the database went away): the error fails the batch, its
        // messages are nak'd, and their next delivery here takes these attempts over at once.
        for (const { attempt } of started) leases.release({ taskId: attempt.task.id, number: attempt.number }, { gaveUp: recorded === undefined });
      }
    },
    async onDead(envelope, reason, { em }) {
      await markTaskDead(em, envelope.taskId, reason, { onTransition, from: ['queued', 'running', 'retrying', 'dead'] });
    },
  };
}

/** What a refused start means for its message: done already, or wait for the worker that has it. */
function refusal(start: Extract<AttemptStart, { started: false }>, deliveryCount: number): ItemResult {
  const { error, status } = start;
  if (status !== undefined && DONE.has(status)) return 'duplicate';
  if (status === 'running') {
    // Another worker holds it under a live lease: come back when the lease would run out (if that
    // worker is gone, this message takes the task over then). Never dead-lettered for it.
    return { error: new AppError('deferred', error.message, { retryAfterSeconds: leaseWaitSeconds(start.leaseLeftMs ?? 0, deliveryCount), cause: error }) };
  }
  if (error.code === 'not_found') return { error: new AppError('permanent_failure', error.message, { cause: error }) };
  return { error };
}

function failureReason(error: unknown): string {
  if (isAppError(error) && error.code === 'not_configured') return `The analysis could not reach GitHub: ${error.message}.`;
  return `The analysis failed permanently and went to the dead-letter queue: ${describeError(error)}.`;
}
