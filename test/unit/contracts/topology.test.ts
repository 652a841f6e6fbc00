import { expect } from 'chai';
import { createTopology } from '../../../src/contracts/topology.js';

describe('createTopology', () => {
  it('uses the plain names without a namespace', () => {
    const topology = createTopology();
    expect(topology.streams).to.deep.equal({ github: 'GITHUB', tasks: 'TASKS', dlq: 'DLQ' });
    expect(topology.payloadBucket).to.equal('github_payloads');
    expect(topology.subject('github.push.none')).to.equal('github.push.none');
    expect(topology.logicalSubject('github.push.none')).to.equal('github.push.none');
  });

  it('prefixes streams, subjects and the bucket with a namespace', () => {
    const topology = createTopology('staging');
    expect(topology.streams).to.deep.equal({ github: 'staging_GITHUB', tasks: 'staging_TASKS', dlq: 'staging_DLQ' });
    expect(topology.streamName('AUDIT')).to.equal('staging_AUDIT');
    expect(topology.payloadBucket).to.equal('staging_github_payloads');
    expect(topology.subject('tasks.codegen_trigger')).to.equal('staging.tasks.codegen_trigger');
  });

  it('reads a wire subject back to its logical one, leaving other subjects as they are', () => {
    const topology = createTopology('staging');
    expect(topology.logicalSubject(topology.subject('github.push.none'))).to.equal('github.push.none');
    expect(topology.logicalSubject('other.github.push.none')).to.equal('other.github.push.none');
  });

  it('refuses a namespace that would change the subject structure', () => {
    for (const bad of ['a.b', 'a b', 'x*', '>']) expect(() => createTopology(bad), bad).to.throw(RangeError, /may contain only/);
  });

  it('is frozen, so no part of the service can move another part’s streams', () => {
    const topology = createTopology('x');
    expect(Object.isFrozen(topology)).to.equal(true);
    expect(Object.isFrozen(topology.streams)).to.equal(true);
  });
});
