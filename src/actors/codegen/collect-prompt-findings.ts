import type { PromptCheck, PromptFindings } from '../../effects/codegen/build-codegen-prompt.js';
import type { Task } from '../../effects/db/entities/task.js';

/**
 * Merges the findings of every analysis linked to one trigger into what the prompt needs: each
 * failed check once (a burst of failures on one commit becomes one prompt naming them all), and
 * the pull request's title and files when a pull request analysis is among them.
 */
export function collectPromptFindings(analyses: readonly Task[]): PromptFindings {
  const checks = new Map<string, PromptCheck>();
  let title: string | undefined;
  let changedFiles: string[] | undefined;
  for (const analysis of analyses) {
    const findings = (analysis.findings ?? {}) as {
      checks?: unknown;
      pull_request?: { title?: string };
      changed_files?: Array<{ path: string }>;
    };
    if (Array.isArray(findings.checks)) {
      for (const check of findings.checks as PromptCheck[]) {
        if (check && typeof check.name === 'string' && !checks.has(check.name)) checks.set(check.name, check);
      }
    }
    title ??= findings.pull_request?.title;
    changedFiles ??= findings.changed_files?.map((file) => file.path);
  }
  return {
    ...(checks.size > 0 ? { checks: [...checks.values()] } : {}),
    ...(title ? { title } : {}),
    ...(changedFiles ? { changedFiles } : {}),
  };
}
