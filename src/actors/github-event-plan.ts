import type { AnalysisTaskType } from '../effects/db/entities/task.js';

/** A planner's decision for one delivery: pure data, no I/O. */
export type GithubEventPlan =
  | { kind: 'ignore'; reason: string }
  | {
      kind: 'task';
      taskType: AnalysisTaskType;
      repository: string;
      pullRequestNumber: number | null;
      headSha: string | null;
      /** What the analysis needs, stored on the task. */
      input: Record<string, unknown>;
      /** For pull request events: the head and its time, to skip events older than what we saw. */
      pullRequestHead?: { number: number; headSha: string; updatedAt: Date };
    };

/** Shared shape check for planners: a string field or undefined. */
export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
