import { context as otelContext } from '@opentelemetry/api';
import type { JsMsg } from '@nats-io/jetstream';
import type { BatchContext, BatchItem } from '../../src/actors/actor-definition.js';
import { openScratchJetStream, type ScratchJetStream } from './scratch-jetstream.js';
import { createTestDatabase, silentLogger, type TestDatabase } from './test-database.js';

/** What an actor's handleBatch is given in a test: real PostgreSQL and JetStream underneath. */
export interface ActorBatchHarness {
  db(): TestDatabase;
  scratch(): ScratchJetStream;
  /** A batch item holding `input`, with a real message of the scratch GITHUB stream. */
  item<Input>(input: Input): BatchItem<Input>;
  /** A batch context on a fresh unit of work of the test database. */
  context(options?: { stopping?: boolean }): BatchContext;
}

/**
 * Registers the mocha hooks of an actor test file: a test database and the project's streams in a
 * scratch namespace for the file, both removed after it. Call inside `describe`.
 */
export function useActorBatch(): ActorBatchHarness {
  let db: TestDatabase | undefined;
  let scratch: ScratchJetStream | undefined;
  let message: JsMsg;
  before(async function () {
    this.timeout(30_000);
    [db, scratch] = await Promise.all([createTestDatabase(), openScratchJetStream()]);
    const { seq } = await scratch.js.publish(scratch.topology.subject('github.push.none'), '{}');
    message = await scratch.messageAt(scratch.topology.streams.github, seq);
  });
  after(async () => {
    await scratch?.close();
    await db?.close();
  });
  return {
    db: () => db!,
    scratch: () => scratch!,
    item: (input) => ({ input, message, log: silentLogger(), trace: otelContext.active() }),
    context: (options = {}) => ({ em: db!.orm.em.fork(), log: silentLogger(), working: () => undefined, stopping: () => options.stopping ?? false }),
  };
}
