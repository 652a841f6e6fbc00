import { expect } from 'chai';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { newestMessages, storedMessageAt } from '../../../src/bus/stream-messages.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('stream-messages', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  let dlq: string;
  const seqs: number[] = [];
  before(async () => {
    scratch = await openScratchJetStream();
    jsm = await jetstreamManager(scratch.nc);
    dlq = scratch.topology.streams.dlq;
    for (const n of [1, 2, 3, 4, 5]) {
      seqs.push((await scratch.js.publish(scratch.topology.subject('dlq.GITHUB.actor_push'), `letter ${n}`)).seq);
    }
    await jsm.streams.deleteMessage(dlq, seqs[3]!);
  });
  after(() => scratch.close());

  describe('storedMessageAt', () => {
    it('reads a stored message by sequence', async () => {
      expect((await storedMessageAt(jsm, dlq, seqs[0]!))?.string()).to.equal('letter 1');
    });

    it('gives null for a deleted message and one never stored', async () => {
      expect(await storedMessageAt(jsm, dlq, seqs[3]!)).to.equal(null);
      expect(await storedMessageAt(jsm, dlq, 10_000)).to.equal(null);
    });

    it('still fails for a stream that does not exist', async () => {
      const error = await storedMessageAt(jsm, `${dlq}_MISSING`, 1).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(Error);
    });
  });

  describe('newestMessages', () => {
    it('pages newest first, skipping deleted messages, with the stream’s total', async () => {
      const first = await newestMessages(jsm, dlq, { limit: 2, offset: 0 });
      expect(first.messages.map((m) => m.string())).to.deep.equal(['letter 5', 'letter 3']);
      expect(first.total).to.equal(4);
      const second = await newestMessages(jsm, dlq, { limit: 2, offset: 2 });
      expect(second.messages.map((m) => m.string())).to.deep.equal(['letter 2', 'letter 1']);
      expect((await newestMessages(jsm, dlq, { limit: 2, offset: 4 })).messages).to.deep.equal([]);
    });

    it('gives an empty page for an empty stream', async () => {
      expect(await newestMessages(jsm, scratch.topology.streams.tasks, { limit: 10, offset: 0 })).to.deep.equal({ messages: [], total: 0 });
    });
  });
});
