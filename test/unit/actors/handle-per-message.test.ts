import { expect } from 'chai';
import { handlePerMessage, type MessageHandler } from '../../../src/actors/handle-per-message.js';
import { AppError } from '../../../src/errors/app-error.js';
import { useActorBatch } from '../../helpers/actor-batch.js';

describe('handlePerMessage', function () {
  this.timeout(30_000);
  const harness = useActorBatch();

  const items = (inputs: string[]) => inputs.map((input) => harness.item(input));
  const batch = (stopping = false) => harness.context({ stopping });

  it('handles each item on its own fork of the unit of work, results in the items\' order', async () => {
    const context = batch();
    const ems = new Set<unknown>();
    const handle: MessageHandler<string> = async (input, { em }) => {
      ems.add(em);
      await new Promise((resolve) => setTimeout(resolve, input === 'slow' ? 30 : 1));
      return input === 'slow' ? 'processed' : 'ignored';
    };
    expect(await handlePerMessage(handle, 4)(items(['slow', 'fast', 'fast2']), context)).to.deep.equal(['processed', 'ignored', 'ignored']);
    expect(ems.size).to.equal(3);
    expect(ems.has(context.em)).to.equal(false);
  });

  it('runs at most `concurrency` items at once', async () => {
    let running = 0;
    let most = 0;
    const handle: MessageHandler<string> = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
      return 'processed';
    };
    await handlePerMessage(handle, 2)(items(['a', 'b', 'c', 'd', 'e']), batch());
    expect(most).to.equal(2);
  });

  it('fails an item alone: the others keep their outcomes', async () => {
    const failure = new AppError('permanent_failure', 'no such run');
    const handle: MessageHandler<string> = async (input) => {
      if (input === 'bad') throw failure;
      return 'processed';
    };
    expect(await handlePerMessage(handle, 4)(items(['ok', 'bad', 'ok2']), batch())).to.deep.equal(['processed', { error: failure }, 'processed']);
  });

  it('tries a transient failure again in process, twice at most', async () => {
    let tries = 0;
    const flaky: MessageHandler<string> = async () => {
      tries += 1;
      if (tries < 3) throw new AppError('dependency_timeout', 'no answer');
      return 'processed';
    };
    expect(await handlePerMessage(flaky, 1)(items(['x']), batch())).to.deep.equal(['processed']);
    expect(tries).to.equal(3);
    tries = -10;
    const [result] = await handlePerMessage(flaky, 1)(items(['x']), batch());
    expect(result).to.have.property('error');
    expect(tries).to.equal(-7);
  });

  it('does not retry an instruction to wait, a permanent failure, or anything once stopping', async () => {
    for (const [error, stopping] of [
      [new AppError('rate_limited', 'wait', { retryAfterSeconds: 5 }), false],
      [new AppError('permanent_failure', 'bad'), false],
      [new AppError('dependency_timeout', 'no answer'), true],
    ] as const) {
      let tries = 0;
      const handle: MessageHandler<string> = async () => {
        tries += 1;
        throw error;
      };
      expect(await handlePerMessage(handle, 1)(items(['x']), batch(stopping))).to.deep.equal([{ error }]);
      expect(tries, error.code).to.equal(1);
    }
  });

  it('answers an empty batch with no results', async () => {
    expect(await handlePerMessage(async () => 'processed', 2)([], batch())).to.deep.equal([]);
  });
});
