import { AppError } from '../errors/app-error.js';
import { decodeUtf8 } from './decode-utf8.js';
import { readFormField } from './read-form-field.js';

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
 * the JSON in its `payload` field; both must be valid UTF-8 (no replacement characters slipped in)
 * and yield a JSON object.
 */
export function parseWebhookPayload(body: Buffer, type: WebhookContentType): ParsedWebhook {
  let payloadBytes = body;
  let text: string;
  if (type === 'form') {
    const field = readFormField(decodeUtf8(body, 'the form body'), 'payload');
    if (field === undefined) throw new AppError('bad_request', 'the form body has no "payload" field');
    payloadBytes = Buffer.from(field, 'utf8');
    text = field;
  } else {
    text = decodeUtf8(body, 'the JSON body');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'the payload is not valid JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new AppError('bad_request', 'the payload must be a JSON object');
  }
  const record = payload as Record<string, unknown>;
  return { payloadBytes, payload: record, action: typeof record.action === 'string' ? record.action : undefined };
}
