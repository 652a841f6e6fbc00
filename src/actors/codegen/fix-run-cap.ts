/** What {@link fixRunCapReason} weighs: the pull request, the fix runs it has had besides this one, the rules' cap. */
export interface FixRunCapInput {
  pullRequestNumber: number;
  earlierRuns: number;
  cap: number;
}

/**
 * The per-pull-request cap on Codegen fix runs (`maxFixRunsPerPullRequest`), decided here and only
 * here: a fix run may start while the pull request has had fewer than `cap` others. Returns why it
 * may not start, or undefined when it may. Both the analysis actor (before it creates a trigger)
 * and the Codegen actor (before it starts the run) ask it.
 */
export function fixRunCapReason(input: FixRunCapInput): string | undefined {
  if (input.earlierRuns < input.cap) return undefined;
  return `Not started: pull request #${input.pullRequestNumber} has had ${input.earlierRuns} fix run(s); the cap is ${input.cap}.`;
}
