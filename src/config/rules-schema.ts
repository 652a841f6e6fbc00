import { z } from 'zod';

/** Rules that decide which analyses start a Codegen run. All fields optional in a file. */
export const ruleSetSchema = z.strictObject({
  /** Start fix runs for failed checks on open pull requests. */
  fixFailedChecks: z.boolean().optional(),
  /** Check names (glob: `*` matches anything) that may trigger a fix run. */
  fixChecks: z.array(z.string()).optional(),
  /** Check names that never trigger one. */
  ignoreChecks: z.array(z.string()).optional(),
  /** Labels that opt a pull request into a review run. */
  reviewOptInLabels: z.array(z.string()).optional(),
  /** Labels that opt a pull request out of every run. */
  optOutLabels: z.array(z.string()).optional(),
  /** Head branches (glob) never sent to Codegen. */
  ignoreBranches: z.array(z.string()).optional(),
  /** Fix runs per pull request before the service stops starting new ones (fix loops). */
  maxFixRunsPerPullRequest: z.number().int().min(0).optional(),
  /** How long a trigger waits for the rest of a burst of failures on the same commit. */
  coalesceWindowSeconds: z.number().min(0).max(600).optional(),
  /** Prompt templates by purpose; see CODEGEN_PROMPT_PLACEHOLDERS. */
  promptTemplates: z.strictObject({ fix: z.string().optional(), review: z.string().optional() }).optional(),
});

export const rulesFileSchema = z.strictObject({
  defaults: ruleSetSchema.optional(),
  /** Overrides for repositories matching `match` (glob on owner/name); later entries win. */
  repositories: z.array(ruleSetSchema.extend({ match: z.string().min(1) })).optional(),
});

export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RulesFile = z.infer<typeof rulesFileSchema>;

/** The effective rules for one repository: every field present. */
export interface Rules {
  fixFailedChecks: boolean;
  fixChecks: string[];
  ignoreChecks: string[];
  reviewOptInLabels: string[];
  optOutLabels: string[];
  ignoreBranches: string[];
  maxFixRunsPerPullRequest: number;
  coalesceWindowSeconds: number;
  promptTemplates: { fix?: string | undefined; review?: string | undefined };
}

/** The defaults: failed checks on open PRs get fix runs; reviews by label; pushes never. */
export const DEFAULT_RULES: Rules = Object.freeze({
  fixFailedChecks: true,
  fixChecks: ['*'],
  ignoreChecks: [],
  reviewOptInLabels: ['codegen:review'],
  optOutLabels: ['codegen:skip'],
  ignoreBranches: [],
  maxFixRunsPerPullRequest: 3,
  coalesceWindowSeconds: 15,
  promptTemplates: {},
}) as Rules;
