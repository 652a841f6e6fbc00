import { expect } from 'chai';
import fc from 'fast-check';
import { sign } from '@octokit/webhooks-methods';
import { signedBodyDigest, signPayload, verifySignature } from '../../../src/ingress/verify-signature.js';

describe('verifySignature', () => {
  const body = Buffer.from('Hello, World!');

  it("accepts GitHub's published test vector", () => {
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(verifySignature(["It's a Secret to Everybody"], body, header)).to.equal(true);
    expect(signPayload("It's a Secret to Everybody", body)).to.equal(header);
  });

  it('agrees with @octokit/webhooks-methods on a real-sized payload', async () => {
    const payload = JSON.stringify({ action: 'opened', text: 'é'.repeat(5000) });
    const header = await sign('s3cret', payload);
    expect(verifySignature(['s3cret'], Buffer.from(payload), header)).to.equal(true);
  });

  it('accepts any of several secrets during a rotation, and none other', () => {
    const header = signPayload('new-secret', body);
    expect(verifySignature(['old-secret', 'new-secret'], body, header)).to.equal(true);
    expect(verifySignature(['old-secret'], body, header)).to.equal(false);
  });

  it('refuses a missing, malformed, sha1 or truncated header without throwing', () => {
    const good = signPayload('k', body);
    for (const header of [undefined, '', 'sha1=abc', good.slice(0, -2), `${good}00`, 'sha256=zz' + good.slice(9)]) {
      expect(verifySignature(['k'], body, header), String(header)).to.equal(false);
    }
  });

  it('refuses a signature over different bytes', () => {
    expect(verifySignature(['k'], Buffer.from('Hello, World?'), signPayload('k', body))).to.equal(false);
  });

  describe('signedBodyDigest', () => {
    it('returns the HMAC computed from the body, whatever case the header writes it in, so a replay cannot change the key', () => {
      const header = signPayload('k', body);
      const digest = header.slice('sha256='.length);
      expect(signedBodyDigest(['k'], body, header)).to.equal(digest);
      expect(signedBodyDigest(['k'], body, `sha256=${digest.toUpperCase()}`)).to.equal(digest);
    });

    it('returns undefined when no secret matches, and the matching secret\'s digest during a rotation', () => {
      expect(signedBodyDigest(['k'], body, signPayload('other', body))).to.equal(undefined);
      expect(signedBodyDigest(['old', 'new'], body, signPayload('new', body))).to.equal(signPayload('new', body).slice(7));
    });
  });
});

describe('verifySignature, for any body and header', () => {
  const SEED = 0x51;
  const secret = fc.string({ minLength: 1, maxLength: 40 });
  const body = fc.uint8Array({ maxLength: 512 });

  it('accepts its own signature under any of the configured secrets, and nothing that differs from it', () => {
    fc.assert(
      fc.property(secret, fc.array(secret, { maxLength: 3 }), body, fc.nat(), (signer, others, bytes, at) => {
        const header = signPayload(signer, bytes);
        expect(verifySignature([...others, signer], bytes, header)).to.equal(true);
        const index = 7 + (at % 64);
        const flipped = header.slice(0, index) + (header[index] === '0' ? '1' : '0') + header.slice(index + 1);
        expect(verifySignature([signer], bytes, flipped)).to.equal(false);
        expect(verifySignature([signer], bytes, header.slice(0, index))).to.equal(false);
        expect(verifySignature([signer], bytes, header.replace('sha256=', 'sha1='))).to.equal(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never throws and never accepts a header it did not compute, whatever the header holds', () => {
    fc.assert(
      fc.property(secret, body, fc.oneof(fc.string({ maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 80 }).map((tail) => `sha256=${tail}`)), (signer, bytes, header) => {
        const valid = signPayload(signer, bytes);
        expect(verifySignature([signer], bytes, header)).to.equal(header.toLowerCase() === valid);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
