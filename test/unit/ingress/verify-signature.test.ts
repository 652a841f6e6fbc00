import { expect } from 'chai';
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
