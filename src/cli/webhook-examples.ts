import { createRequire } from 'node:module';

interface WebhookDefinition {
  name: string;
  actions: string[];
  examples: Array<Record<string, unknown>>;
}

const require = createRequire(import.meta.url);
let definitions: WebhookDefinition[] | undefined;
// Real payloads GitHub documents, shipped by @octokit/webhooks-examples; read on first use only.
const load = () => (definitions ??= require('@octokit/webhooks-examples') as WebhookDefinition[]);

/**
 * A real example payload for `event`, optionally the first one matching `where` (e.g. a given
 * action), as a deep copy the caller may change; undefined when there is none.
 */
export function findExamplePayload(
  event: string,
  where: (payload: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> | undefined {
  const example = load()
    .find((candidate) => candidate.name === event)
    ?.examples.find(where);
  return example ? structuredClone(example) : undefined;
}

/** Every event name the examples cover, with the actions they show. */
export function exampleEvents(): Array<{ name: string; actions: string[] }> {
  return load().map((definition) => ({ name: definition.name, actions: definition.actions }));
}
