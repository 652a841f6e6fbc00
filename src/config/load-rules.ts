import { readFileSync } from 'node:fs';
import { DEFAULT_RULES, rulesFileSchema, type Rules, type RulesFile } from './rules-schema.js';
import { ConfigError } from './load-config.js';

/** Reads and validates RULES_FILE (JSON) once at start-up; no file means the defaults. */
export function loadRules(file: string | undefined): RulesFile {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`RULES_FILE ${file} cannot be read as JSON: ${(error as Error).message}`]);
  }
  const parsed = rulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `RULES_FILE ${issue.path.join('.') || '(root)'} ${issue.message}`));
  }
  return Object.freeze(parsed.data);
}

/** The rules in force for `repository`: defaults, then the file's defaults, then every matching override. */
export function rulesFor(file: RulesFile, repository: string): Rules {
  const layers = [file.defaults ?? {}, ...(file.repositories ?? []).filter((entry) => globMatch(entry.match, repository))];
  const rules: Rules = { ...DEFAULT_RULES, promptTemplates: { ...DEFAULT_RULES.promptTemplates } };
  for (const layer of layers) {
    const { promptTemplates, ...rest } = layer as typeof layer & { match?: string };
    delete (rest as { match?: string }).match;
    Object.assign(rules, Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
    if (promptTemplates) Object.assign(rules.promptTemplates, promptTemplates);
  }
  return rules;
}

/** Case-insensitive glob where `*` matches any run of characters (including `/`). */
export function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}
