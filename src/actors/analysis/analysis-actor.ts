import type { EntityManager } from '@mikro-orm/postgresql';
import type { TaskEnvelope } from '../../bus/decode-task-message.js';
import { decodeTaskMessage } from '../../bus/decode-task-message.js';
import type { TaskPublisher } from '../../bus/task-publisher.js';
import { rulesFor } from '../../config/load-rules.js';
import type { RulesFile } from '../../config/rules-schema.js';
import type { Task } from '../../effects/db/entities/task.js';
import {
  countFixRuns,
  finishAttempt,
  findOrCreateCodegenTrigger,
  findTask,
  startAttempt,
  transitionTask,
  type TaskTransitionListener,
} from '../../effects/db/task-store.js';
import type { GithubClient } from '../../effects/github/create-github-client.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { describeError, isRetryable } from '../../errors/classify.js';
import type { CircuitBreaker } from '../../operators/circuit-breaker.js';
import type { ActorContext, ActorDefinition } from '../actor-definition.js';
import { guardedCall } from '../guarded-call.js';
import type { AnalysisResult } from './analysis-result.js';
import { analyseCheckRun } from './analyse-check-run.js';
import { analyseCheckSuite } from './analyse-check-suite.js';
import { analysePullRequest } from './analyse-pull-request.js';
import { analysePush } from './analyse-push.js';

export interface AnalysisActorOptions {
  github: GithubClient;
  githubBreaker: CircuitBreaker;
  rules: RulesFile;
  publishTask: TaskPublisher;
  onTransition: TaskTransitionListener;
}

const DONE = new Set(['succeeded', 'failed', 'skipped', 'dead']);

/** What the planners stored on the task for its analysis (see the plan-*.ts files). */
interface AnalysisInput {
  owner: string;
  repo: string;
  installation_id?: number | null;
  number: number;
  node_id: string;
  head_branch?: string | null;
  ref: string;
}

/**
 * Runs analysis tasks: read what the task needs through GitHub GraphQL, record findings and a
 * reason, and — when the rules say so — link the task to the one codegen_trigger of its
 * (repository, head SHA, purpose) and queue that trigger. Transient failures (GitHub down, rate
 * limited) leave the task `retrying` and the message waiting in JetStream; permanent ones fail it.
 */
export function createAnalysisActor(options: AnalysisActorOptions): ActorDefinition<TaskEnvelope> {
  const { github, githubBreaker, onTransition } = options;
  const call = <T>(fn: () => Promise<T>) => guardedCall(githubBreaker, fn);

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
        const push = await call(() => github.pushCommits({ owner: input.owner, repo: input.repo, sha: task.headSha!, installationId }));
        return analysePush(push, { ref: input.ref });
      }
      default:
        throw new AppError('permanent_failure', `the analysis actor does not run ${task.taskType} tasks`);
    }
  };

  /** Links the analysis to its commit's trigger, creating it unless the pull request's cap is reached. */
  const requestRun = async (em: EntityManager, task: Task, result: AnalysisResult): Promise<{ triggerId?: string; reason: string }> => {
    const trigger = result.trigger!;
    const rules = rulesFor(options.rules, task.repository);
    if (trigger.purpose === 'fix') {
      const existing = await em.count('Task', { taskType: 'codegen_trigger', repository: task.repository, headSha: trigger.headSha, purpose: 'fix' });
      const runs = await countFixRuns(em, task.repository, trigger.pullRequestNumber);
      if (existing === 0 && runs >= rules.maxFixRunsPerPullRequest) {
        return {
          reason: `${result.reason} Not started: pull request #${trigger.pullRequestNumber} has had ${runs} fix run(s), the cap is ${rules.maxFixRunsPerPullRequest}.`,
        };
      }
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

  return {
    name: 'analysis',
    stream: 'TASKS',
    breakers: [githubBreaker],
    durables: ['actor_analysis'],
    concurrency: 8,
    decode: decodeTaskMessage,
    logFields: (envelope) => ({ task_id: envelope.taskId, task_type: envelope.taskType }),
    async handle(envelope, { em, log }: ActorContext) {
      const found = await findTask(em, envelope.taskId);
      if (!found) throw new AppError('permanent_failure', `task ${envelope.taskId} does not exist`);
      if (DONE.has(found.status)) return 'duplicate';
      // While GitHub is known to be down, wait in JetStream without opening an attempt per delivery.
      if (!githubBreaker.canPass()) {
        throw new AppError('circuit_open', 'the GitHub breaker is open', { retryAfterSeconds: Math.max(1, githubBreaker.retryAfterMs() / 1000) });
      }
      const attempt = await startAttempt(em, envelope.taskId, { onTransition });
      const task = attempt.task;
      log = log.child({ delivery_id: task.deliveryId, repository: task.repository });
      try {
        const result = await analyse(task);
        let reason = result.reason;
        let triggerId: string | undefined;
        if (result.status === 'succeeded' && result.trigger) ({ triggerId, reason } = await requestRun(em, task, result));
        await finishAttempt(
          em,
          task.id,
          attempt.number,
          result.status === 'skipped' ? 'skipped' : 'succeeded',
          { status: result.status, findings: result.findings, reason, ...(triggerId ? { triggerTaskId: triggerId } : {}) },
          { onTransition },
        );
        log.info({ status: result.status, trigger_task_id: triggerId }, reason);
        return result.status === 'skipped' ? 'skipped' : 'processed';
      } catch (error) {
        // Not configured is an answer, not a fault: the task fails with that reason and the message is done.
        // Other permanent errors go to the DLQ (the runner), the task `dead`; transient ones wait in JetStream.
        const configured = !(isAppError(error) && error.code === 'not_configured');
        const outcome = !configured ? 'failed' : isRetryable(error) ? 'retrying' : 'dead';
        await finishAttempt(
          em,
          task.id,
          attempt.number,
          outcome,
          { status: outcome, error: describeError(error), ...(outcome === 'retrying' ? {} : { reason: failureReason(error) }) },
          { onTransition },
        ).catch((finishError: unknown) => log.warn({ err: finishError }, 'could not record the failed attempt'));
        if (configured) throw error;
        return 'failed';
      }
    },
    async onDead(envelope, reason, { em }) {
      await transitionTask(em, envelope.taskId, 'dead', { lastError: reason }, { onTransition, from: ['queued', 'running', 'retrying', 'dead'] });
    },
  };
}

function failureReason(error: unknown): string {
  if (isAppError(error) && error.code === 'not_configured') return `The analysis could not reach GitHub: ${error.message}.`;
  return `The analysis failed permanently and went to the dead-letter queue: ${describeError(error)}.`;
}
