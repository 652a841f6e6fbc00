import { expect } from 'chai';
import { headers } from '@nats-io/transport-node';
import type { JsMsg } from '@nats-io/jetstream';
import { taskMessageKey } from '../../../src/actors/task-message-key.js';

const messageWith = (msgId?: string) => {
  const h = headers();
  if (msgId !== undefined) h.set('Nats-Msg-Id', msgId);
  return { headers: h } as unknown as JsMsg;
};

describe('taskMessageKey', () => {
  it('is the message id: the task id and its generation', () => {
    expect(taskMessageKey(messageWith('5f0c6a4e:1'))).to.equal('5f0c6a4e:1');
  });

  it('tells a re-queue (a new generation) from a repeat of the same queueing', () => {
    expect(taskMessageKey(messageWith('t:1'))).to.equal(taskMessageKey(messageWith('t:1')));
    expect(taskMessageKey(messageWith('t:requeue-1'))).to.not.equal(taskMessageKey(messageWith('t:1')));
  });

  it('has no key without a message id, so such a message is never taken for a repeat', () => {
    expect(taskMessageKey(messageWith())).to.equal(undefined);
    expect(taskMessageKey({ headers: undefined } as unknown as JsMsg)).to.equal(undefined);
  });
});
