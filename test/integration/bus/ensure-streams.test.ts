import { expect } from 'chai';
import { jetstreamManager } from '@nats-io/jetstream';
import { differingKeys, ensureStreams } from '../../../src/bus/ensure-streams.js';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTopology } from '../../../src/contracts/topology.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { natsForSuite } from '../../helpers/test-nats.js';

describe('ensureStreams', () => {
  const suite = natsForSuite();
  const topology = createTopology(suite.namespace);

  it('creates every stream and consumer of streams/ so that the server holds exactly the files’ settings', async () => {
    const jsm = await jetstreamManager(suite.nc);
    const definitions = await loadStreamDefinitions('streams');
    expect(definitions.streams.map((s) => s.name).sort()).to.deep.equal(['DLQ', 'GITHUB', 'TASKS']);
    const report = await ensureStreams({ jsm, definitions, topology, logger: captureLogger().logger });
    expect(report.created).to.have.length(definitions.streams.length + definitions.consumers.length);
    for (const stream of definitions.streams) {
      const info = await jsm.streams.info(topology.streamName(stream.name));
      const want = { ...stream, name: topology.streamName(stream.name), subjects: stream.subjects!.map((s) => topology.subject(s)) };
      expect(differingKeys(want, info.config as unknown as Record<string, unknown>), stream.name).to.deep.equal([]);
    }
    for (const { stream, config } of definitions.consumers) {
      const info = await jsm.consumers.info(topology.streamName(stream), config.durable_name);
      const want = { ...config, filter_subject: topology.subject(config.filter_subject!) };
      expect(differingKeys(want, info.config as unknown as Record<string, unknown>), config.durable_name).to.deep.equal([]);
    }
  });

  it('changes nothing on a second run, and puts back a setting changed by hand, logging what it corrected', async () => {
    const jsm = await jetstreamManager(suite.nc);
    const definitions = await loadStreamDefinitions('streams');
    const { logger, records } = captureLogger();
    const again = await ensureStreams({ jsm, definitions, topology, logger });
    expect(again.created).to.deep.equal([]);
    expect(again.updated).to.deep.equal([]);

    const github = topology.streams.github;
    const info = await jsm.streams.info(github);
    await jsm.streams.update(github, { ...info.config, max_age: 3600 * 1e9 });
    const corrected = await ensureStreams({ jsm, definitions, topology, logger });
    expect(corrected.updated).to.deep.equal([{ name: github, changed: ['max_age'] }]);
    expect((await jsm.streams.info(github)).config.max_age).to.equal(definitions.streams.find((s) => s.name === 'GITHUB')!.max_age);
    expect(records().some((r) => r.msg === 'stream configuration differed from streams/; corrected' && r.stream === github)).to.equal(true);
  });
});
