import { parse } from 'content-type';
import { AppError } from '../errors/app-error.js';
import { webhookContentType, type WebhookContentType } from './parse-webhook-payload.js';

const UTF8_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8']);
const DECLARES_CHARSET = /;\s*charset\s*=/i;

/**
 * The webhook body's kind from its Content-Type, or 415 `unsupported_media_type`: for media types
 * GitHub never sends, and for a declared charset other than UTF-8 (GitHub sends none; JSON is
 * UTF-8 by definition, RFC 8259 §8.1, and the form's escapes are decoded as UTF-8), since bytes
 * in another charset would be verified, then parsed as something the sender did not write.
 */
export function checkWebhookContentType(header: string | undefined): WebhookContentType {
  const type = webhookContentType(header);
  if (!type) {
    throw new AppError(
      'unsupported_media_type',
      'Content-Type must be application/json or application/x-www-form-urlencoded',
    );
  }
  const charset = parse(header ?? '').parameters.charset;
  if (charset !== undefined && !UTF8_CHARSETS.has(charset.toLowerCase())) {
    throw new AppError('unsupported_media_type', `charset ${JSON.stringify(charset.slice(0, 40))} is not supported; send UTF-8`);
  }
  // The parser is lenient: a charset it could not read (`charset="utf-16`) is still a declared one.
  if (charset === undefined && DECLARES_CHARSET.test(header ?? '')) {
    throw new AppError('unsupported_media_type', 'the charset parameter of Content-Type is malformed; send UTF-8');
  }
  return type;
}
