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

/** `owner/name` and installation id, when the payload names them. */
export function payloadOrigin(payload: Record<string, unknown>): {
  repository: string | undefined;
  installationId: number | undefined;
} {
  const parsed = commonPayloadSchema.safeParse(payload);
  if (!parsed.success) return { repository: undefined, installationId: undefined };
  return { repository: parsed.data.repository?.full_name, installationId: parsed.data.installation?.id };
}
