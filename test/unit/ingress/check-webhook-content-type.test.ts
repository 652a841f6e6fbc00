import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../../src/errors/app-error.js';
import { checkWebhookContentType } from '../../../src/ingress/check-webhook-content-type.js';

const SEED = 0xc7;

function refusal(header: string | undefined): AppError | undefined {
  try {
    checkWebhookContentType(header);
    return undefined;
  } catch (error) {
    return error as AppError;
  }
}

describe('checkWebhookContentType', () => {
  it('accepts the two media types GitHub sends, bare or with a UTF-8 charset in any spelling', () => {
    expect(checkWebhookContentType('application/json')).to.equal('json');
    expect(checkWebhookContentType('application/x-www-form-urlencoded')).to.equal('form');
    for (const header of ['application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"', 'application/json ; CHARSET=utf8']) {
      expect(checkWebhookContentType(header), header).to.equal('json');
    }
  });

  it('refuses any other declared charset with 415, naming it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/).filter((charset) => !/^utf-?8$/i.test(charset)),
        (type, charset) => {
          const error = refusal(`${type}; charset=${charset}`);
          expect(error).to.be.instanceOf(AppError);
          expect(error).to.include({ code: 'unsupported_media_type', message: `charset "${charset}" is not supported; send UTF-8` });
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('either returns json or form or refuses with 415 for any header at all, and never accepts a charset but UTF-8', () => {
    const header = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.tuple(fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), fc.string({ maxLength: 40 })).map(([type, rest]) => `${type};${rest}`),
    );
    fc.assert(
      fc.property(header, (value) => {
        const error = refusal(value);
        if (error) expect(error).to.be.instanceOf(AppError).with.property('code', 'unsupported_media_type');
        else {
          expect(['json', 'form']).to.include(checkWebhookContentType(value));
          const declared = /;\s*charset\s*=\s*("?)([^;"]*)\1/i.exec(value);
          if (declared) expect(declared[2]!.toLowerCase()).to.be.oneOf(['utf-8', 'utf8']);
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
