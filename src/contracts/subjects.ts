/** Subject and stream names: the contract between ingress, actors and the NATS CLI. */
export const STREAMS = { github: 'GITHUB', tasks: 'TASKS', dlq: 'DLQ' } as const;

/** Object store bucket for payloads too large for one message (claim check). */
export const PAYLOAD_BUCKET = 'github_payloads';

/** Key-value bucket of accepted bodies' digests (replay protection). */
export const DIGEST_BUCKET = 'webhook_digests';

const TOKEN_UNSAFE = /[^A-Za-z0-9_-]/g;

/** A subject token from free text: NATS tokens may not contain `.`, `*`, `>` or whitespace. */
export function subjectToken(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return 'none';
  return value.replace(TOKEN_UNSAFE, '_');
}

/** `github.<event>.<action or none>` for an accepted webhook delivery. */
export function webhookSubject(event: string, action: string | undefined): string {
  return `github.${subjectToken(event)}.${subjectToken(action)}`;
}

/** `tasks.<kind>` for work handed between actors. */
export function taskSubject(kind: 'codegen_trigger' | `analysis.${string}`): string {
  return `tasks.${kind}`;
}

/** `dlq.<stream>.<consumer>` for a dead letter. */
export function deadLetterSubject(stream: string, consumer: string): string {
  return `dlq.${subjectToken(stream)}.${subjectToken(consumer)}`;
}
