import { expect } from 'chai';
import { desiredStreams } from '../../../src/bus/desired-streams.js';
import { loadStreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTopology } from '../../../src/contracts/topology.js';

describe('desiredStreams', () => {
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
