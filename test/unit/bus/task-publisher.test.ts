import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { createTaskPublisher, type TaskPublisher } from '../../../src/bus/task-publisher.js';
import { TASK_HEADERS } from '../../../src/contracts/message-headers.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage } from '../../helpers/stream-reader.js';

describe('createTaskPublisher', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  let publish: TaskPublisher;
  before(async () => {
    scratch = await openScratchJetStream();
    publish = createTaskPublisher({ js: scratch.js, topology: scratch.topology });
  });
  after(() => scratch.close());
  const read = (seq: number) => storedMessage(scratch.nc, scratch.topology.streams.tasks, seq);

  it('publishes an analysis on tasks.analysis.<type> naming the task in headers and body', async () => {
    const id = randomUUID();
    const { seq, duplicate } = await publish({ id, taskType: 'pull_request_analysis', generation: 0 });
    expect(duplicate).to.equal(false);
    const message = await read(seq);
    expect(message.subject).to.equal(scratch.topology.subject('tasks.analysis.pull_request_analysis'));
    expect(message.header.get(TASK_HEADERS.taskId)).to.equal(id);
    expect(message.header.get(TASK_HEADERS.taskType)).to.equal('pull_request_analysis');
    expect(message.json()).to.deep.equal({ task_id: id });
  });

  it('publishes a Codegen trigger on tasks.codegen_trigger', async () => {
    const { seq } = await publish({ id: randomUUID(), taskType: 'codegen_trigger', generation: 0 });
    expect((await read(seq)).subject).to.equal(scratch.topology.subject('tasks.codegen_trigger'));
  });

  it('queues the same task and generation once, and a new generation again', async () => {
    const id = randomUUID();
    const first = await publish({ id, taskType: 'push_analysis', generation: 1 });
    const repeat = await publish({ id, taskType: 'push_analysis', generation: 1 });
    expect(repeat).to.deep.equal({ seq: first.seq, duplicate: true });
    const retry = await publish({ id, taskType: 'push_analysis', generation: 2 });
    expect(retry.duplicate).to.equal(false);
    expect(retry.seq).to.be.greaterThan(first.seq);
  });
});
