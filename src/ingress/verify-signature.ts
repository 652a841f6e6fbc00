import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

/**
 * Checks GitHub's `X-Hub-Signature-256` over the exact request bytes, against each configured
 * secret (several during a rotation), in constant time per secret. Malformed headers fail
 * without comparing.
 */
export function verifySignature(
  secrets: readonly string[],
  body: Uint8Array,
  signatureHeader: string | undefined,
): boolean {
  if (!signatureHeader?.startsWith(PREFIX)) return false;
  const hex = signatureHeader.slice(PREFIX.length);
  if (!HEX_DIGEST.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  let valid = false;
  // Check every secret, not just until the first match, so timing does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** The header value GitHub would send for `body` signed with `secret`. */
export function signPayload(secret: string, body: Uint8Array | string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}
