/**
 * A bench setting from the environment: a positive number, or `fallback` when unset or empty.
 * Anything else is an error naming the variable, so a typo never silently runs the default.
 */
export function positiveSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}
