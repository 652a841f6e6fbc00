import type pg from 'pg';
import type { CodegenDouble } from '../helpers/codegen-api-double.js';
import type { GithubGraphqlDouble } from '../helpers/github-graphql-double.js';
import type { FaultStack } from './fault-stack.js';
import type { OrchestratorInstance } from './orchestrator-instance.js';

/** What a scenario's fault may touch while deliveries are being sent. */
export interface FaultContext {
  stack: FaultStack;
  /** The two orchestrator instances, both running when the fault starts. */
  instances: readonly [OrchestratorInstance, OrchestratorInstance];
  github: GithubGraphqlDouble;
  codegen: CodegenDouble;
  /** The scenario's database (reconnect yourself after a PostgreSQL outage: use `query`). */
  query(sql: string): Promise<pg.QueryResult>;
  /** The namespaced GITHUB stream, whose Raft leader the NATS scenario kills. */
  githubStream: string;
  /** Deliveries accepted so far. */
  accepted(): number;
  /** Waits until `condition` holds (polled), or throws after `timeoutMs`. */
  until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void>;
  log(message: string): void;
  /** Records a moment for the timeline (`FAULTS_TIMELINE=1`): the kill, the restart. */
  mark(what: string): void;
  /** The fault begins now (the first call counts): the table shows how long it lasted beside the recovery. */
  faultStarts(): void;
}

/** One fault and the load it is injected into. */
export interface FaultScenario {
  name: string;
  /** Distinct pull requests opened, and how many of them get two failing checks each. */
  pullRequests: number;
  failingPullRequests: number;
  /** Deliveries started per second. */
  perSecond: number;
  /** Knobs set before the instances start (a slow GitHub …). */
  prepare?(context: Pick<FaultContext, 'github' | 'codegen'>): void;
  /** Injects the fault mid-stream; resolves with the epoch ms at which it ended (dependency back, instance ready). */
  inject(context: FaultContext): Promise<number>;
  /** Final task statuses the fault forces beyond succeeded, failed and skipped. */
  allowedStatuses?: readonly string[];
  /** Recovery target in seconds, where the issue sets one (PostgreSQL and instance restarts: 10). */
  recoveryTargetSeconds?: number;
}
