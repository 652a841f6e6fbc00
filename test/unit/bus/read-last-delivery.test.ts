import { expect } from 'chai';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('createLastDeliveryReader', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => {
    scratch = await openScratchJetStream();
  });
  after(() => scratch.close());
  const subject = (token: string) => scratch.topology.subject(`github.push.none.${token}`);

  it('reads null for a subject that holds no message', async () => {
    expect(await scratch.readLastDelivery(subject('nothing-here'))).to.equal(null);
  });

  it('reads the newest message’s delivery id, sequence, time and claim check', async () => {
    const publish = async (deliveryId: string, ref?: string) => {
      const headers = natsHeaders();
      headers.set(GITHUB_HEADERS.delivery, deliveryId);
      if (ref) headers.set(ORCHESTRATOR_HEADERS.payloadRef, ref);
      return scratch.js.publish(subject('newest'), '{}', { headers, msgID: `${deliveryId}-${Date.now()}` });
    };
    await publish('older');
    const before = Date.now();
    const newest = await publish('newer', 'bucket/newer');
    const last = await scratch.readLastDelivery(subject('newest'));
    expect(last).to.deep.include({ deliveryId: 'newer', seq: newest.seq, payloadRef: 'bucket/newer' });
    expect(last!.storedAtMs).to.be.within(before - 5000, Date.now() + 5000);
  });
});
