import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';

describe('loadStreamDefinitions', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A streams directory holding `files` (path → JSON value). */
  const streamsDir = (files: Record<string, unknown>): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'streams-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'consumers'));
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  };

  it('reads the project’s stream and consumer files, each consumer under its stream', async () => {
    const definitions = await loadStreamDefinitions('streams');
    expect(definitions.streams.map((stream) => stream.name)).to.deep.equal(['DLQ', 'GITHUB', 'TASKS']);
    const byStream = (stream: string) => definitions.consumers.filter((c) => c.stream === stream).map((c) => c.config.durable_name);
    expect(byStream('GITHUB')).to.include.members(['actor_pull_request', 'actor_push', 'actor_check_run']);
    expect(byStream('TASKS')).to.deep.equal(['actor_analysis', 'actor_codegen']);
  });

  it('reads files in name order and ignores what is not JSON', async () => {
    const dir = streamsDir({
      'B.json': { name: 'B', subjects: ['b.>'] },
      'A.json': { name: 'A', subjects: ['a.>'] },
      'README.md': '# not a stream',
      'consumers/A/second.json': { durable_name: 'second' },
      'consumers/A/first.json': { durable_name: 'first' },
    });
    const definitions = await loadStreamDefinitions(dir);
    expect(definitions.streams).to.deep.equal([
      { name: 'A', subjects: ['a.>'] },
      { name: 'B', subjects: ['b.>'] },
    ]);
    expect(definitions.consumers).to.deep.equal([
      { stream: 'A', config: { durable_name: 'first' } },
      { stream: 'A', config: { durable_name: 'second' } },
    ]);
  });

  it('refuses a stream without a name and a consumer without a durable name, naming the file', async () => {
    await expectRejection(loadStreamDefinitions(streamsDir({ 'X.json': { subjects: ['x'] } })), 'X.json: stream definition without a name');
    await expectRejection(
      loadStreamDefinitions(streamsDir({ 'A.json': { name: 'A' }, 'consumers/A/c.json': { name: 'c' } })),
      'A/c.json: consumer without durable_name',
    );
  });

  it('refuses a file that is not valid JSON', async () => {
    const error = await loadStreamDefinitions(streamsDir({ 'A.json': '{ name: A' })).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SyntaxError);
  });
});

async function expectRejection(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).to.be.instanceOf(Error);
  expect((error as Error).message).to.equal(message);
}
