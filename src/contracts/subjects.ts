/** Subject and stream names: the contract between ingress, actors and the NATS CLI. */
export const STREAMS = { github: 'GITHUB', tasks: 'TASKS', dlq: 'DLQ' } as const;

/** Object store bucket for payloads too large for one message (claim check). */
export const PAYLOAD_BUCKET = 'github_payloads';

const TOKEN_UNSAFE = /[^A-Za-z0-9_-]/g;

/** A subject token from free text: NATS tokens may not contain `.`, `*`, `>` or whitespace. */
export function subjectToken(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return 'none';
  return value.replace(TOKEN_UNSAFE, '_');
}

/**
 * `github.<event>.<action or none>.<body digest>` for an accepted webhook delivery. The digest (the
 * body's HMAC-SHA256 in hex, i.e. its X-Hub-Signature-256) gives each distinct body a subject of
 * its own, so the stream itself knows whether a body was stored before (replay protection).
 * Consumers filter on `github.<event>.>`, which matches with or without it.
 */
export function webhookSubject(event: string, action: string | undefined, digest?: string): string {
  const base = `github.${subjectToken(event)}.${subjectToken(action)}`;
  return digest === undefined ? base : `${base}.${subjectToken(digest)}`;
}

const BODY_DIGEST_TOKEN = /\.[0-9a-f]{64}$/;

/**
 * A wire subject with its body-digest token (if any) written `{digest}`: a name of low cardinality,
 * one per event and action, for span names (the full subject would make one name per delivery).
 */
export function subjectTemplate(subject: string): string {
  return subject.replace(BODY_DIGEST_TOKEN, '.{digest}');
}

/** `tasks.<kind>` for work handed between actors. */
export function taskSubject(kind: 'codegen_trigger' | `analysis.${string}`): string {
  return `tasks.${kind}`;
}

/** `dlq.<stream>.<consumer>` for a dead letter. */
export function deadLetterSubject(stream: string, consumer: string): string {
  return `dlq.${subjectToken(stream)}.${subjectToken(consumer)}`;
}
