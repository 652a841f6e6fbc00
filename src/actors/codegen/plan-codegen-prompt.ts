import type { Rules } from '../../config/rules-schema.js';
import { buildCodegenPrompt, type PromptFindings } from '../../effects/codegen/build-codegen-prompt.js';
import type { Task } from '../../effects/db/entities/task.js';
import { collectPromptFindings } from './collect-prompt-findings.js';

/** What a Codegen run is started with: its prompt, and the findings and reason it was built from. */
export interface CodegenPromptPlan {
  prompt: string;
  findings: PromptFindings;
  reason: string;
}

/**
 * The prompt of a codegen_trigger task's run, from every analysis linked to the trigger (oldest
 * first) and the repository's rules: the analyses' findings merged, their reasons joined (or the
 * delivery that asked, when none gave one), rendered by the purpose's template. No I/O.
 */
export function planCodegenPrompt(task: Task, analyses: readonly Task[], rules: Rules): CodegenPromptPlan {
  const purpose = task.purpose ?? 'fix';
  const findings = collectPromptFindings(analyses);
  const reason = analyses.map((analysis) => analysis.reason).filter(Boolean).join(' ') || `Requested by delivery ${task.deliveryId}.`;
  const prompt = buildCodegenPrompt({
    purpose,
    template: rules.promptTemplates[purpose],
    repository: task.repository,
    ...(task.pullRequestNumber !== null ? { pullRequestNumber: task.pullRequestNumber } : {}),
    headSha: task.headSha!,
    findings,
    reason,
  });
  return { prompt, findings, reason };
}
