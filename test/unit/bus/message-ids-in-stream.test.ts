import { expect } from 'chai';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { messageIdsInStream } from '../../../src/bus/message-ids-in-stream.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('messageIdsInStream', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  let between: Date;
  before(async () => {
    scratch = await openScratchJetStream();
    jsm = await jetstreamManager(scratch.nc);
    const subject = scratch.topology.subject('github.push.none');
    for (const id of ['old-1', 'old-2']) await scratch.js.publish(subject, '{}', { msgID: id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const id of ['new-1', 'new-2', 'new-3']) await scratch.js.publish(subject, '{}', { msgID: id });
  });
  after(() => scratch.close());

  const find = (wanted: string[], since: Date, batch?: number) =>
    messageIdsInStream({ js: scratch.js, jsm, stream: scratch.topology.streams.github, since, wanted: new Set(wanted), ...(batch ? { batch } : {}) });

  it('finds the wanted ids among the messages stored since the time, and only those', async () => {
    expect([...(await find(['new-1', 'new-3', 'absent'], new Date(0)))].sort()).to.deep.equal(['new-1', 'new-3']);
  });

  it('does not look before `since`', async () => {
    expect([...(await find(['old-1', 'new-2'], between))]).to.deep.equal(['new-2']);
  });

  it('reads across several fetches', async () => {
    expect([...(await find(['old-1', 'new-3'], new Date(0), 1))].sort()).to.deep.equal(['new-3', 'old-1']);
  });

  it('finds nothing when nothing is wanted or nothing was stored since', async () => {
    expect((await find([], new Date(0))).size).to.equal(0);
    expect((await find(['new-1'], new Date(Date.now() + 60_000))).size).to.equal(0);
  });

  it('leaves no consumer behind', async () => {
    const consumers = async () => {
      const names: string[] = [];
      for await (const info of jsm.consumers.list(scratch.topology.streams.github)) names.push(info.name);
      return names.sort();
    };
    const before = await consumers();
    await find(['new-1'], new Date(0));
    expect(await consumers()).to.deep.equal(before);
  });
});
