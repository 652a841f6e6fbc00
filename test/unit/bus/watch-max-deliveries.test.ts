import { expect } from 'chai';
import { jetstreamManager } from '@nats-io/jetstream';
import { createDeadLetterWriter } from '../../../src/bus/dead-letter.js';
import { watchMaxDeliveries } from '../../../src/bus/watch-max-deliveries.js';
import { ORCHESTRATOR_HEADERS } from '../../../src/contracts/message-headers.js';
import type { Logger } from '../../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { storedMessage, streamState } from '../../helpers/stream-reader.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('watchMaxDeliveries', function () {
  this.timeout(20_000);
  let scratch: ScratchJetStream;
  before(async () => (scratch = await openScratchJetStream()));
  after(() => scratch.close());

  /** A watcher on the GITHUB stream writing to the real DLQ writer. */
  const startWatcher = async (metrics: Metrics, logger: Logger) => {
    const watcher = watchMaxDeliveries({
      nc: scratch.nc,
      jsm: await jetstreamManager(scratch.nc),
      streams: [scratch.topology.streams.github],
      deadLetter: createDeadLetterWriter({ js: scratch.js, topology: scratch.topology }),
      metrics,
      logger,
    });
    await scratch.nc.flush();
    return watcher;
  };

  /** The advisory JetStream publishes when a consumer stops offering a message (its documented fields). */
  const advise = (stream: string, consumer: string, seq: number) =>
    scratch.nc.publish(
      `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${consumer}`,
      JSON.stringify({ type: 'io.nats.jetstream.advisory.v1.max_deliver', stream, consumer, stream_seq: seq, deliveries: 20 }),
    );

  it('copies a message JetStream gave up on to the DLQ, counts it and warns once', async () => {
    const github = scratch.topology.streams.github;
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.push.none'), '{"ref":"refs/heads/main"}');
    const metrics = createMetrics({ defaultMetrics: false });
    const captured = captureLogger();
    const watcher = await startWatcher(metrics, captured.logger);
    try {
      advise(github, 'actor_push', seq);
      const dlq = scratch.topology.streams.dlq;
      const lastSeq = await waitFor(async () => (await streamState(scratch.nc, dlq)).lastSeq || undefined, { message: 'no dead letter' });
      const copy = await storedMessage(scratch.nc, dlq, lastSeq);
      expect(copy.string()).to.equal('{"ref":"refs/heads/main"}');
      expect(copy.header.get(ORCHESTRATOR_HEADERS.deadReason)).to.equal('JetStream gave up after 20 deliveries without a settlement');
      expect(copy.header.get(ORCHESTRATOR_HEADERS.deadSeq)).to.equal(String(seq));
      await waitFor(() => captured.records().some((line) => line.msg === 'max deliveries reached; copied to the DLQ'));
      expect((await metrics.deadLetters.get()).values.map((value) => [value.labels.actor, value.value])).to.deep.equal([['push', 1]]);
    } finally {
      watcher.stop();
    }
  });

  it('skips a message the stream no longer holds and goes on with the next advisory', async () => {
    const github = scratch.topology.streams.github;
    const dlq = scratch.topology.streams.dlq;
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.push.none'), '{"after":"gone"}');
    const before = await streamState(scratch.nc, dlq);
    const captured = captureLogger();
    const watcher = await startWatcher(createMetrics({ defaultMetrics: false }), captured.logger);
    try {
      advise(github, 'actor_push', 999_999);
      advise(github, 'actor_push', seq);
      const lastSeq = await waitFor(async () => {
        const state = await streamState(scratch.nc, dlq);
        return state.lastSeq > before.lastSeq ? state.lastSeq : undefined;
      });
      expect((await storedMessage(scratch.nc, dlq, lastSeq)).header.get(ORCHESTRATOR_HEADERS.deadSeq)).to.equal(String(seq));
      expect((await streamState(scratch.nc, dlq)).messages).to.equal(before.messages + 1);
      expect(captured.records().filter((line) => line.level === 50)).to.deep.equal([]);
    } finally {
      watcher.stop();
    }
  });
});
