import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../../src/errors/app-error.js';
import { readFormField } from '../../../src/ingress/read-form-field.js';

const SEED = 0xf0f0;
const wellFormed = fc.string({ unit: 'grapheme', maxLength: 60 });

describe('readFormField', () => {
  it('reads back any value URLSearchParams encoded, among other fields', () => {
    fc.assert(
      fc.property(fc.dictionary(wellFormed.filter((key) => key !== 'payload'), wellFormed, { maxKeys: 4 }), wellFormed, (others, payload) => {
        const form = new URLSearchParams({ ...others, payload }).toString();
        expect(readFormField(form, 'payload')).to.equal(payload);
        expect(readFormField(new URLSearchParams(others).toString(), 'payload')).to.equal(undefined);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('agrees with URLSearchParams on any form whose escapes are UTF-8, and otherwise refuses with 400 bad_request', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('payload=', '&', '=', '%', '%e9', '%C3%A9', '+', '%zz', '%F0%9F%98%80')), { maxLength: 12 }), (parts) => {
        const form = parts.join('');
        let value: string | undefined;
        try {
          value = readFormField(form, 'payload');
        } catch (error) {
          expect(error).to.be.instanceOf(AppError).with.property('code', 'bad_request');
          return;
        }
        expect(value).to.equal(new URLSearchParams(form).get('payload') ?? undefined);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('refuses a percent-encoded byte sequence that is not UTF-8 instead of replacing it', () => {
    expect(() => readFormField('payload=%7B%22a%22%3A%22%E9%22%7D', 'payload')).to.throw(AppError, 'the form field "payload" is not valid percent-encoded UTF-8');
    expect(new URLSearchParams('payload=%E9').get('payload')).to.equal('\ufffd');
  });
});
