import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { createManagementActions, type ManagementActions } from '../../../src/actors/management-actions.js';
import { createDeadLetterWriter } from '../../../src/bus/dead-letter.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { GITHUB_HEADERS, ORCHESTRATOR_HEADERS, TASK_HEADERS } from '../../../src/contracts/message-headers.js';
import { recordDeliveryReceived } from '../../../src/effects/db/delivery-store.js';
import { createTaskOnce } from '../../../src/effects/db/create-tasks-once.js';
import { getTask, transitionTask } from '../../../src/effects/db/task-store.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage } from '../../helpers/stream-reader.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.js';

describe('createManagementActions', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let scratch: ScratchJetStream;
  let jsm: JetStreamManager;
  let actions: ManagementActions;
  const fork = () => db.orm.em.fork();
  before(async () => {
    [db, scratch] = await Promise.all([createTestDatabase(), openScratchJetStream()]);
    jsm = await jetstreamManager(scratch.nc);
    actions = createManagementActions({
      js: scratch.js,
      jsm,
      orm: db.orm,
      topology: scratch.topology,
      publishTask: createTaskPublisher({ js: scratch.js, topology: scratch.topology }),
      onTransition: () => undefined,
    });
  });
  after(async () => {
    await scratch?.close();
    await db?.close();
  });

  /** A delivery as ingress publishes it and an actor records it. */
  const accepted = async () => {
    const deliveryId = randomUUID();
    const { seq } = await scratch.publishStored({ deliveryId, event: 'push', action: undefined, payload: new TextEncoder().encode('{"ref":"refs/heads/main"}') });
    await recordDeliveryReceived(fork(), { deliveryId, eventType: 'push', streamSeq: seq });
    return { deliveryId, seq };
  };

  describe('replayDelivery', () => {
    it('publishes the stored message again, marked as a replay, under a new message id', async () => {
      const { deliveryId, seq } = await accepted();
      const receipt = await actions.replayDelivery(deliveryId);
      expect(receipt).to.deep.include({ delivery_id: deliveryId, stream: scratch.topology.streams.github });
      expect(receipt.seq).to.be.greaterThan(seq);
      const replayed = await storedMessage(scratch.nc, scratch.topology.streams.github, receipt.seq);
      expect(replayed.header.get(GITHUB_HEADERS.delivery)).to.equal(deliveryId);
      expect(replayed.header.get(ORCHESTRATOR_HEADERS.replayOf)).to.equal(`delivery:${deliveryId}`);
      expect(new TextDecoder().decode(replayed.data)).to.equal('{"ref":"refs/heads/main"}');
    });

    it('answers not_found for an unknown delivery, and conflict when the stream no longer holds it', async () => {
      const code = (promise: Promise<unknown>) => promise.then(() => undefined, (e: { code?: string }) => e.code);
      expect(await code(actions.replayDelivery('no-such-delivery'))).to.equal('not_found');
      const gone = randomUUID();
      await recordDeliveryReceived(fork(), { deliveryId: gone, eventType: 'push', streamSeq: 999_999 });
      expect(await code(actions.replayDelivery(gone))).to.equal('conflict');
    });
  });

  describe('dead letters', () => {
    it('lists them newest first with where they died and why, and redrives one to its subject, removing it from the DLQ', async () => {
      const write = createDeadLetterWriter({ js: scratch.js, topology: scratch.topology });
      const { deliveryId, seq } = await accepted();
      const original = await storedMessage(scratch.nc, scratch.topology.streams.github, seq);
      const { seq: dlqSeq } = await write({
        stream: scratch.topology.streams.github,
        consumer: 'actor_push',
        seq,
        subject: original.subject,
        headers: original.header,
        data: original.data,
        reason: 'permanent_failure: not a push',
      });
      const page = await actions.listDeadLetters({ limit: 10, offset: 0 });
      expect(page.dead_letters[0]).to.deep.include({
        id: String(dlqSeq),
        stream: scratch.topology.streams.github,
        consumer: 'actor_push',
        subject: original.subject,
        delivery_id: deliveryId,
        task_id: null,
        reason: 'permanent_failure: not a push',
      });
      const receipt = (await actions.redriveDeadLetter(String(dlqSeq)))!;
      expect(receipt).to.deep.include({ stream: scratch.topology.streams.github, subject: original.subject });
      const redriven = await storedMessage(scratch.nc, scratch.topology.streams.github, receipt.seq);
      expect(redriven.header.get(ORCHESTRATOR_HEADERS.replayOf)).to.equal(`dlq:${dlqSeq}`);
      expect(redriven.header.get(ORCHESTRATOR_HEADERS.deadReason)).to.equal('');
      expect((await actions.listDeadLetters({ limit: 10, offset: 0 })).dead_letters.map((d) => d.id)).to.not.include(String(dlqSeq));
      expect(await actions.redriveDeadLetter(String(dlqSeq))).to.equal(null);
    });

    it('retries the task of a dead task message before redriving it', async () => {
      const { task } = await createTaskOnce(fork(), { taskType: 'push_analysis', repository: 'octo/app', deliveryId: randomUUID(), eventType: 'push' });
      await transitionTask(fork(), task.id, 'running');
      await transitionTask(fork(), task.id, 'dead');
      const write = createDeadLetterWriter({ js: scratch.js, topology: scratch.topology });
      const publish = createTaskPublisher({ js: scratch.js, topology: scratch.topology });
      const { seq } = await publish({ id: task.id, taskType: task.taskType, generation: 0 });
      const message = await storedMessage(scratch.nc, scratch.topology.streams.tasks, seq);
      expect(message.header.get(TASK_HEADERS.taskId)).to.equal(task.id);
      const { seq: dlqSeq } = await write({ stream: scratch.topology.streams.tasks, consumer: 'actor_analysis', seq, subject: message.subject, headers: message.header, data: message.data, reason: 'gave up' });
      await actions.redriveDeadLetter(String(dlqSeq));
      expect((await getTask(fork(), task.id))!.task.status).to.equal('queued');
    });

    it('finds nothing to redrive for an id that is not a DLQ sequence', async () => {
      expect(await actions.redriveDeadLetter('0')).to.equal(null);
      expect(await actions.redriveDeadLetter('abc')).to.equal(null);
    });
  });
});
