import { z } from 'zod';

/** What an actor knows about one GitHub delivery, decoded from a GITHUB stream message. */
export interface WebhookEnvelope {
  deliveryId: string;
  event: string;
  action: string | undefined;
  payload: Record<string, unknown>;
  hookId: string | undefined;
  targetType: string | undefined;
  targetId: string | undefined;
  receivedAt: Date;
  streamSeq: number;
  /** Set when an operator replayed or redrove this delivery. */
  replayOf: string | undefined;
}

/** The parts of a payload every actor reads; everything else stays in `payload`. */
export const commonPayloadSchema = z.looseObject({
  action: z.string().optional(),
  repository: z
    .looseObject({
      full_name: z.string(),
      default_branch: z.string().optional(),
    })
    .optional(),
  installation: z.looseObject({ id: z.number() }).optional(),
});

/**
 * `owner/name` and installation id, when the payload names them. Read field by field: a schema
 * parse would copy every key of a payload of hundreds, for two values.
 */
export function payloadOrigin(payload: Record<string, unknown>): {
  repository: string | undefined;
  installationId: number | undefined;
} {
  const repository = payload.repository as { full_name?: unknown } | null | undefined;
  const installation = payload.installation as { id?: unknown } | null | undefined;
  return {
    repository: typeof repository === 'object' && repository !== null && typeof repository.full_name === 'string' ? repository.full_name : undefined,
    installationId: typeof installation === 'object' && installation !== null && typeof installation.id === 'number' ? installation.id : undefined,
  };
}
