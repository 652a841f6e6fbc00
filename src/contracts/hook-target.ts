/**
 * A webhook whose deliveries GitHub lists: the GitHub App's own hook, or a repository or
 * organisation hook by id (RECOVERY_HOOKS: `repo:owner/name:123`, `org:acme:456`).
 */
export type HookTarget =
  | { kind: 'app' }
  | { kind: 'repo'; repository: string; hookId: number }
  | { kind: 'org'; org: string; hookId: number };

/** A stable name for a hook: `app`, `repo:owner/name:123`, `org:acme:456`. */
export function hookKey(target: HookTarget): string {
  if (target.kind === 'app') return 'app';
  return target.kind === 'repo' ? `repo:${target.repository}:${target.hookId}` : `org:${target.org}:${target.hookId}`;
}

/** The REST path of the hook's deliveries (GET lists them; `/{id}/attempts` redelivers one). */
export function hookDeliveriesPath(target: HookTarget): string {
  if (target.kind === 'app') return '/app/hook/deliveries';
  if (target.kind === 'repo') return `/repos/${target.repository}/hooks/${target.hookId}/deliveries`;
  return `/orgs/${target.org}/hooks/${target.hookId}/deliveries`;
}

/** Parses one RECOVERY_HOOKS entry; undefined when it is not `repo:owner/name:id` or `org:name:id`. */
export function parseHookTarget(text: string): HookTarget | undefined {
  const repo = /^repo:([A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}):(\d{1,18})$/.exec(text);
  if (repo) return { kind: 'repo', repository: repo[1]!, hookId: Number(repo[2]) };
  const org = /^org:([A-Za-z0-9][A-Za-z0-9-]{0,38}):(\d{1,18})$/.exec(text);
  if (org) return { kind: 'org', org: org[1]!, hookId: Number(org[2]) };
  return undefined;
}
