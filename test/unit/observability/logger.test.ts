import { expect } from 'chai';
import { captureLogger } from '../../helpers/capture-logger.js';

describe('createLogger', () => {
  it('writes JSON lines and scrubs configured secrets wherever they appear', () => {
    const { logger, lines, records } = captureLogger({ secrets: ['hunter2-secret', 'tok"en\\x'] });
    logger.info({ nested: { note: 'the key is hunter2-secret' } }, 'message with hunter2-secret');
    logger.error({ err: new Error('failed with tok"en\\x inside') }, 'boom');
    const text = lines.join('');
    expect(text).not.to.include('hunter2-secret');
    expect(text).not.to.include('tok\\"en\\\\x');
    expect(records()[0]!.msg).to.equal('message with [REDACTED]');
    expect((records()[1]!.err as { message: string }).message).to.equal('failed with [REDACTED] inside');
  });

  it('redacts sensitive header and field names even when the value is not a known secret', () => {
    const { logger, records } = captureLogger();
    logger.info({ headers: { authorization: 'Bearer abc', 'x-hub-signature-256': 'sha256=00' }, token: 't' }, 'req');
    const record = records()[0]!;
    expect(record.headers).to.deep.equal({ authorization: '[REDACTED]', 'x-hub-signature-256': '[REDACTED]' });
    expect(record.token).to.equal('[REDACTED]');
  });

  it('keeps child logger fields on every line', () => {
    const { logger, records } = captureLogger();
    logger.child({ delivery_id: 'd-1', actor: 'push' }).warn('hello');
    expect(records()[0]).to.include({ delivery_id: 'd-1', actor: 'push', msg: 'hello', level: 40 });
  });
});
