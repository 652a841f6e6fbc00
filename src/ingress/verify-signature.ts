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
  return signedBodyDigest(secrets, body, signatureHeader) !== undefined;
}

/**
 * {@link verifySignature}, returning the HMAC-SHA256 of the body that matched (hex), or undefined
 * when none did. It is computed from the body and our secret, never copied from the header (whose
 * hex may be written in either case), so it is a fingerprint of the body alone: the replay guard
 * keys on it and needs no second pass over the bytes.
 */
export function signedBodyDigest(
  secrets: readonly string[],
  body: Uint8Array,
  signatureHeader: string | undefined,
): string | undefined {
  if (!signatureHeader?.startsWith(PREFIX)) return undefined;
  const hex = signatureHeader.slice(PREFIX.length);
  if (!HEX_DIGEST.test(hex)) return undefined;
  const given = Buffer.from(hex, 'hex');
  let matched: Buffer | undefined;
  // Check every secret, not just until the first match, so timing does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    if (timingSafeEqual(expected, given)) matched = expected;
  }
  return matched?.toString('hex');
}

/** The header value GitHub would send for `body` signed with `secret`. */
export function signPayload(secret: string, body: Uint8Array | string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}
