import { expect } from 'chai';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { diffStreams } from '../../../src/bus/diff-streams.js';
import { ensureStreams } from '../../../src/bus/ensure-streams.js';
import { loadStreamDefinitions, type StreamDefinitions } from '../../../src/bus/stream-definitions.js';
import { createTopology } from '../../../src/contracts/topology.js';
import { silentLogger } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';

describe('diffStreams', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace();
  const topology = createTopology(namespace);
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let definitions: StreamDefinitions;
  before(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    definitions = await loadStreamDefinitions('streams');
  });
  after(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });

  const states = async () => Object.fromEntries((await diffStreams({ jsm, definitions, topology })).map((d) => [d.name, d.state]));

  it('reports every stream and consumer missing on a server that has none of them, changing nothing', async () => {
    const before = await states();
    expect(Object.values(before).every((state) => state === 'missing')).to.equal(true);
    expect(Object.keys(before)).to.have.length(definitions.streams.length + definitions.consumers.length);
    expect(await states()).to.deep.equal(before);
  });

  it('reports everything the same once ensureStreams has applied streams/', async () => {
    await ensureStreams({ jsm, definitions, topology, logger: silentLogger() });
    expect(Object.values(await states()).every((state) => state === 'same')).to.equal(true);
  });

  it('names the fields changed by hand, and consumers on our streams that no file defines', async () => {
    const github = topology.streams.github;
    const info = await jsm.streams.info(github);
    await jsm.streams.update(github, { ...info.config, max_age: 3_600_000_000_000 });
    await jsm.consumers.add(github, { durable_name: 'by_hand', ack_policy: AckPolicy.Explicit });
    const differences = await diffStreams({ jsm, definitions, topology });
    expect(differences.find((d) => d.name === github)).to.deep.equal({ kind: 'stream', name: github, state: 'differs', changed: ['max_age'] });
    expect(differences.find((d) => d.name === `${github}/by_hand`)).to.deep.equal({ kind: 'consumer', name: `${github}/by_hand`, state: 'extra', changed: [] });
  });
});
