import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayloadStore } from '../bus/payload-store.js';
import type { StoredPayloadReader } from '../bus/stored-payload-reader.js';
import type { TaskPublisher } from '../bus/task-publisher.js';
import type { RulesFile } from '../config/rules-schema.js';
import type { WebhookEnvelope } from '../contracts/webhook-envelope.js';
import type { CodegenClient } from '../effects/codegen/create-codegen-client.js';
import type { TaskTransitionListener } from '../effects/db/task-store.js';
import type { GithubClient } from '../effects/github/create-github-client.js';
import type { Metrics } from '../observability/metrics.js';
import type { CircuitBreaker } from '../operators/circuit-breaker.js';
import type { ActorDefinition } from './actor-definition.js';
import type { AttemptLeaseKeeper } from './attempt-lease-keeper.js';
import { createAnalysisActor } from './analysis/analysis-actor.js';
import { createCodegenActor, type CodegenActorOptions } from './codegen/codegen-actor.js';
import { createGithubEventActor } from './create-github-event-actor.js';
import { planCheckRun } from './check-run/plan-check-run.js';
import { planCheckSuite } from './check-suite/plan-check-suite.js';
import { createOtherEventsActor } from './other-events/other-events-actor.js';
import { createInstallationActor } from './installation/installation-actor.js';
import { planPullRequest } from './pull-request/plan-pull-request.js';
import { planPush } from './push/plan-push.js';

export interface ActorListOptions {
  payloadStore: PayloadStore;
  /** Reads a GITHUB stream message's payload by sequence (for the headers-only other-events consumer). */
  readStored: StoredPayloadReader;
  publishTask: TaskPublisher;
  onTransition: TaskTransitionListener;
  github: GithubClient;
  codegen: CodegenClient;
  breakers: { github: CircuitBreaker; codegen: CircuitBreaker };
  rules: RulesFile;
  metrics: Metrics;
  /** Call budgets: GitHub's per hour, Codegen's documented creation and read limits. */
  budgets: { github: { limit: number; windowMs: number }; codegen: NonNullable<CodegenActorOptions['limits']> };
  /** A fresh unit of work. */
  fork: () => EntityManager;
  /** Ownership of the task attempts this process runs. */
  leases: AttemptLeaseKeeper;
  /** Overrides for following Codegen runs (tests poll faster). */
  codegenPolling?: Pick<CodegenActorOptions, 'pollMs' | 'maxPollMs' | 'maxFollowMs'>;
}

/** A heterogeneous list: each definition's decode and handle agree on their own input type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActorDefinition = ActorDefinition<any>;

/** Every actor: one per GitHub event type that matters, the rest, analysis and Codegen, each on its durables (streams/consumers/). */
export function createActorList(options: ActorListOptions): AnyActorDefinition[] {
  const { payloadStore, publishTask, onTransition } = options;
  const eventActor = (name: string, durable: string, plan: (envelope: WebhookEnvelope) => ReturnType<typeof planPush>) =>
    createGithubEventActor({ name, durables: [durable], plan, payloadStore, publishTask, onTransition });
  const eventActors = [
    eventActor('pull_request', 'actor_pull_request', planPullRequest),
    eventActor('check_run', 'actor_check_run', planCheckRun),
    eventActor('check_suite', 'actor_check_suite', planCheckSuite),
    eventActor('push', 'actor_push', planPush),
  ];
  return [
    ...eventActors,
    createInstallationActor({ payloadStore }),
    createOtherEventsActor({
      payloadStore,
      readStored: options.readStored,
      handledElsewhere: new Set(['pull_request', 'check_run', 'check_suite', 'push', 'installation', 'installation_repositories']),
    }),
    createAnalysisActor({
      github: options.github,
      githubBreaker: options.breakers.github,
      rules: options.rules,
      publishTask,
      onTransition,
      metrics: options.metrics,
      githubBudget: options.budgets.github,
      fork: options.fork,
      leases: options.leases,
    }),
    createCodegenActor({
      codegen: options.codegen,
      codegenBreaker: options.breakers.codegen,
      rules: options.rules,
      metrics: options.metrics,
      onTransition,
      leases: options.leases,
      limits: options.budgets.codegen,
      ...options.codegenPolling,
    }),
  ];
}
