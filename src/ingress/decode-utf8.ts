import { AppError } from '../errors/app-error.js';

// `fatal` makes malformed sequences throw instead of becoming U+FFFD; BOM stripping stays on
// (JSON parsers may ignore a leading BOM, RFC 8259 §8.1).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes bytes that must be UTF-8 (RFC 8259 §8.1 for JSON), refusing anything malformed with
 * 400 `bad_request` naming `what` — a lenient decode would pass U+FFFD replacements on as if the
 * sender had written them.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (error) {
    throw new AppError('bad_request', `${what} is not valid UTF-8`, { cause: error });
  }
}
