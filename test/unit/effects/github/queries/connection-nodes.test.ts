import { expect } from 'chai';
import { z } from 'zod';
import { connectionNodes } from '../../../../../src/effects/github/queries/connection-nodes.js';

describe('connectionNodes', () => {
  const names = connectionNodes(z.object({ name: z.string() }).transform((node) => node.name));

  it('reads a connection as its items, in order, each through the item schema', () => {
    expect(names.parse({ nodes: [{ name: 'bug' }, { name: 'ci' }] })).to.deep.equal(['bug', 'ci']);
  });

  it('drops null items and reads a null list or connection as empty, as GitHub may send them', () => {
    expect(names.parse({ nodes: [null, { name: 'ci' }, null] })).to.deep.equal(['ci']);
    expect(names.parse({ nodes: null })).to.deep.equal([]);
    expect(names.parse(null)).to.deep.equal([]);
  });

  it('fails on an item of another shape instead of dropping it', () => {
    expect(names.safeParse({ nodes: [{ name: 1 }] }).success).to.equal(false);
    expect(names.safeParse({ edges: [] }).success).to.equal(false);
  });
});
