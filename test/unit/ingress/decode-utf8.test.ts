import { expect } from 'chai';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../../src/errors/app-error.js';
import { decodeUtf8 } from '../../../src/ingress/decode-utf8.js';

const SEED = 0xd3c0de;

describe('decodeUtf8', () => {
  it('gives back any well-formed text exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }).filter((text) => !text.startsWith('\ufeff')), (text) => {
        expect(decodeUtf8(Buffer.from(text, 'utf8'), 'the body')).to.equal(text);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses exactly the byte sequences that are not UTF-8, with 400 bad_request naming what was decoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let refusal: unknown;
        try {
          decodeUtf8(bytes, 'the JSON body');
        } catch (error) {
          refusal = error;
        }
        if (isUtf8(bytes)) expect(refusal).to.equal(undefined);
        else {
          expect(refusal).to.be.instanceOf(AppError);
          expect(refusal).to.include({ code: 'bad_request', message: 'the JSON body is not valid UTF-8' });
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('refuses lone surrogates, overlong forms and truncated sequences inside otherwise valid JSON', () => {
    for (const bad of [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xfe]]) {
      const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from(bad), Buffer.from('"}')]);
      expect(() => decodeUtf8(bytes, 'x'), bad.join(',')).to.throw(AppError, 'x is not valid UTF-8');
    }
  });
});
