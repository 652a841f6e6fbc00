import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { decodeTaskMessage } from '../../../src/bus/decode-task-message.js';
import { createTaskPublisher } from '../../../src/bus/task-publisher.js';
import { AppError } from '../../../src/errors/app-error.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';

describe('decodeTaskMessage', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => (scratch = await openScratchJetStream()));
  after(() => scratch.close());

  it('names the task a task publisher queued', async () => {
    const id = randomUUID();
    const publish = createTaskPublisher({ js: scratch.js, topology: scratch.topology });
    const { seq } = await publish({ id, taskType: 'push_analysis', generation: 0 });
    const message = await scratch.messageAt(scratch.topology.streams.tasks, seq);
    expect(await decodeTaskMessage(message)).to.deep.equal({ taskId: id, taskType: 'push_analysis' });
  });

  it('refuses as permanent a message that names no task', async () => {
    const ack = await scratch.js.publish(scratch.topology.subject('tasks.analysis.push_analysis'), JSON.stringify({ task_id: 'x' }));
    const message = await scratch.messageAt(scratch.topology.streams.tasks, ack.seq);
    const error = await decodeTaskMessage(message).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(AppError);
    expect(error).to.include({ code: 'permanent_failure', message: `TASKS message ${ack.seq} does not name a task` });
  });
});
