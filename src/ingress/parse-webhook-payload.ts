import { AppError } from '../errors/app-error.js';

export type WebhookContentType = 'json' | 'form';

export interface ParsedWebhook {
  /** The JSON document's bytes: the body itself, or the form's `payload` field. */
  payloadBytes: Buffer;
  payload: Record<string, unknown>;
  action: string | undefined;
}

/** `json`, `form`, or undefined for anything GitHub does not send (→ 415). */
export function webhookContentType(header: string | undefined): WebhookContentType | undefined {
  const mediaType = header?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  return undefined;
}

/**
 * Parses a verified webhook body. GitHub sends either the JSON document itself or a form with
 * the JSON in its `payload` field; both must yield a JSON object.
 */
export function parseWebhookPayload(body: Buffer, type: WebhookContentType): ParsedWebhook {
  let payloadBytes = body;
  if (type === 'form') {
    const field = new URLSearchParams(body.toString('utf8')).get('payload');
    if (field === null) throw new AppError('bad_request', 'the form body has no "payload" field');
    payloadBytes = Buffer.from(field, 'utf8');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'the payload is not valid JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new AppError('bad_request', 'the payload must be a JSON object');
  }
  const record = payload as Record<string, unknown>;
  return { payloadBytes, payload: record, action: typeof record.action === 'string' ? record.action : undefined };
}
