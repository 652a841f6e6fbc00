import type { PromptCheck } from '../../effects/codegen/build-codegen-prompt.js';
import type { CheckRunReport } from '../../effects/github/queries/check-run-fields.js';
import type { FixRunDecision } from './decide-fix-run.js';

/** The outcome of an analysis, decided without I/O from what GitHub returned. */
export interface AnalysisResult {
  status: 'succeeded' | 'skipped';
  /** Structured findings stored on the task (and read back to build a Codegen prompt). */
  findings: Record<string, unknown>;
  /** One human-readable paragraph: what was found and what was decided. */
  reason: string;
  /** A Codegen run this analysis asks for, subject to the per-pull-request cap. */
  trigger?: { purpose: 'fix' | 'review'; pullRequestNumber: number; headSha: string };
}

/** A check run as it goes into findings and prompts. */
export function toPromptCheck(run: CheckRunReport): PromptCheck & { title: string | null; text: string | null; details_url: string | null } {
  return {
    name: run.name,
    conclusion: run.conclusion ?? 'unknown',
    summary: run.summary ?? undefined,
    title: run.title,
    text: run.text,
    details_url: run.detailsUrl,
    annotations: run.annotations.map((annotation) => ({
      path: annotation.path,
      startLine: annotation.startLine,
      level: annotation.level ?? 'failure',
      message: annotation.message,
    })),
  };
}

/** A check analysis' result from what was found and the fix-run decision (shared by run and suite). */
export function fixRunResult(found: string, findings: Record<string, unknown>, decision: FixRunDecision, headSha: string): AnalysisResult {
  if (decision.trigger) {
    return {
      status: 'succeeded',
      findings,
      reason: `${found} A fix run was requested because ${decision.because}.`,
      trigger: { purpose: 'fix', pullRequestNumber: decision.pullRequestNumber, headSha },
    };
  }
  return { status: decision.stale ? 'skipped' : 'succeeded', findings, reason: `${found} No fix run: ${decision.because}.` };
}
