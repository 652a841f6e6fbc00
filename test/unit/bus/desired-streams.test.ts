import { expect } from 'chai';
import { desiredStreams } from '../../../src/bus/desired-streams.js';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTopology } from '../../../src/contracts/topology.js';

describe('desiredStreams', () => {
  it('places the streams of streams/ in the namespace: names prefixed, subjects under the namespace', async () => {
    const { streams } = desiredStreams(await loadStreamDefinitions('streams'), createTopology('ns1'));
    const github = streams.find((stream) => stream.name === 'ns1_GITHUB')!;
    expect(github.config).to.include({ name: 'ns1_GITHUB' });
    expect(github.config.subjects).to.deep.equal(['ns1.github.>']);
    expect(streams.map((stream) => stream.name).sort()).to.deep.equal(['ns1_DLQ', 'ns1_GITHUB', 'ns1_TASKS']);
  });

  it('keeps the plain names without a namespace', async () => {
    const { streams, consumers } = desiredStreams(await loadStreamDefinitions('streams'), createTopology(''));
    expect(streams.map((stream) => stream.name).sort()).to.deep.equal(['DLQ', 'GITHUB', 'TASKS']);
    expect(consumers.find((consumer) => consumer.durable === 'actor_push')).to.deep.include({ stream: 'GITHUB', label: 'GITHUB/actor_push' });
  });

  it('namespaces each consumer\'s stream and filter subject, keeping its other settings', async () => {
    const definitions = await loadStreamDefinitions('streams');
    const { consumers } = desiredStreams(definitions, createTopology('ns1'));
    const push = consumers.find((consumer) => consumer.durable === 'actor_push')!;
    const file = definitions.consumers.find((consumer) => consumer.config.durable_name === 'actor_push')!;
    expect(push).to.deep.include({ stream: 'ns1_GITHUB', label: 'ns1_GITHUB/actor_push' });
    expect(push.config).to.deep.equal({ ...file.config, filter_subject: `ns1.${file.config.filter_subject}` });
    expect(consumers).to.have.length(definitions.consumers.length);
  });

  it('overrides only GITHUB\'s duplicate window, in nanoseconds, when configuration gives one', async () => {
    const definitions = await loadStreamDefinitions('streams');
    const { streams } = desiredStreams(definitions, createTopology(''), 120);
    expect(streams.find((stream) => stream.name === 'GITHUB')!.config.duplicate_window).to.equal(120e9);
    const tasksFile = definitions.streams.find((stream) => stream.name === 'TASKS')!;
    expect(streams.find((stream) => stream.name === 'TASKS')!.config.duplicate_window).to.equal(tasksFile.duplicate_window);
    const unset = desiredStreams(definitions, createTopology(''));
    expect(unset.streams.find((stream) => stream.name === 'GITHUB')!.config.duplicate_window).to.equal(definitions.streams.find((s) => s.name === 'GITHUB')!.duplicate_window);
  });

  it('keeps the files’ replica count unless configuration names one', async () => {
    const definitions = await loadStreamDefinitions('streams');
    const topology = createTopology('ns');
    const asFiled = desiredStreams(definitions, topology);
    expect(asFiled.streams.map((s) => s.config.num_replicas)).to.deep.equal(definitions.streams.map((s) => s.num_replicas));
    const clustered = desiredStreams(definitions, topology, undefined, 3);
    expect(clustered.streams.map((s) => [s.name, s.config.num_replicas])).to.deep.equal(definitions.streams.map((s) => [`ns_${s.name}`, 3]));
    // Consumers follow their stream (num_replicas 0 = the stream's), so none is given a count.
    expect(clustered.consumers.every((c) => c.config.num_replicas === undefined)).to.equal(true);
  });
});
