import { expect } from 'chai';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createDeadLetterWriter, type DeadLetterWriter } from '../../../src/bus/dead-letter.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage, streamState } from '../../helpers/stream-reader.js';

describe('createDeadLetterWriter', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let deadLetter: DeadLetterWriter;
  before(async () => {
    scratch = await openScratchJetStream();
    deadLetter = createDeadLetterWriter({ js: scratch.js, topology: scratch.topology });
  });
  after(() => scratch.close());

  /** A message as an actor received it from the GITHUB stream (published as ingress does, expecting a new subject). */
  const original = async (deliveryId: string) => {
    const headers = natsHeaders();
    headers.set(GITHUB_HEADERS.delivery, deliveryId);
    headers.set(GITHUB_HEADERS.event, 'push');
    const subject = scratch.topology.subject(`github.push.none.${deliveryId}`);
    const ack = await scratch.js.publish(subject, '{"ref":"refs/heads/main"}', { headers, msgID: deliveryId, expect: { lastSubjectSequence: 0 } });
    return scratch.messageAt(scratch.topology.streams.github, ack.seq);
  };

  it('copies the message to dlq.<stream>.<consumer> with its headers, origin and reason', async () => {
    const message = await original('dead-1');
    const { seq } = await deadLetter({
      stream: message.info.stream,
      consumer: 'actor_push',
      seq: message.seq,
      subject: message.subject,
      headers: message.headers,
      data: message.data,
      reason: 'permanent_failure: the payload is not a push',
    });
    const stored = await storedMessage(scratch.nc, scratch.topology.streams.dlq, seq);
    expect(stored.subject).to.equal(scratch.topology.subject('dlq.GITHUB.actor_push'));
    expect(stored.string()).to.equal('{"ref":"refs/heads/main"}');
    expect(stored.header.get(GITHUB_HEADERS.delivery)).to.equal('dead-1');
    expect(stored.header.get(ORCHESTRATOR_HEADERS.deadReason)).to.equal('permanent_failure: the payload is not a push');
    expect(stored.header.get(ORCHESTRATOR_HEADERS.deadStream)).to.equal(scratch.topology.streams.github);
    expect(stored.header.get(ORCHESTRATOR_HEADERS.deadConsumer)).to.equal('actor_push');
    expect(stored.header.get(ORCHESTRATOR_HEADERS.deadSeq)).to.equal(String(message.seq));
    expect(stored.header.get(ORCHESTRATOR_HEADERS.deadSubject)).to.equal(message.subject);
    // The original message id would make the DLQ drop the copy as a duplicate of the delivery.
    expect(stored.header.get('Nats-Msg-Id')).to.not.equal('dead-1');
    // Ingress's expectation on the original would have the server refuse the DLQ subject's second copy.
    expect(message.headers?.has('Nats-Expected-Last-Subject-Sequence')).to.equal(true);
    expect(stored.header.has('Nats-Expected-Last-Subject-Sequence')).to.equal(false);
  });

  it('stores one copy when the same message is dead-lettered twice', async () => {
    const message = await original('dead-2');
    const input = { stream: message.info.stream, consumer: 'actor_push', seq: message.seq, subject: message.subject, headers: message.headers, data: message.data, reason: 'x' };
    const before = (await streamState(scratch.nc, scratch.topology.streams.dlq)).messages;
    const first = await deadLetter(input);
    const second = await deadLetter(input);
    expect(second.seq).to.equal(first.seq);
    expect((await streamState(scratch.nc, scratch.topology.streams.dlq)).messages).to.equal(before + 1);
  });

  it('keeps the first 1000 characters of a long reason', async () => {
    const message = await original('dead-3');
    const { seq } = await deadLetter({ stream: message.info.stream, consumer: 'actor_push', seq: message.seq, subject: message.subject, headers: undefined, data: message.data, reason: 'r'.repeat(5000) });
    const stored = await (await jetstreamManager(scratch.nc)).streams.getMessage(scratch.topology.streams.dlq, { seq });
    expect(stored!.header.get(ORCHESTRATOR_HEADERS.deadReason)).to.have.length(1000);
  });
});
