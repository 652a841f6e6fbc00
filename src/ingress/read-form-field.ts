import { AppError } from '../errors/app-error.js';

/**
 * The value of the first `name` field of an `application/x-www-form-urlencoded` body, or
 * undefined. Unlike URLSearchParams, a malformed escape or a percent-encoded byte sequence that
 * is not UTF-8 is refused (400 `bad_request`) instead of being replaced by U+FFFD.
 */
export function readFormField(body: string, name: string): string | undefined {
  for (const pair of body.split('&')) {
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    if (decodeComponent(rawName, 'a form field name') !== name) continue;
    return equals === -1 ? '' : decodeComponent(pair.slice(equals + 1), `the form field "${name}"`);
  }
  return undefined;
}

function decodeComponent(encoded: string, what: string): string {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '));
  } catch (error) {
    throw new AppError('bad_request', `${what} is not valid percent-encoded UTF-8`, { cause: error });
  }
}
