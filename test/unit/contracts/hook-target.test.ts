import { expect } from 'chai';
import { hookDeliveriesPath, hookKey, parseHookTarget } from '../../../src/contracts/hook-target.js';

describe('parseHookTarget', () => {
  it('reads a repository hook and an organisation hook', () => {
    expect(parseHookTarget('repo:octo/app.js:123')).to.deep.equal({ kind: 'repo', repository: 'octo/app.js', hookId: 123 });
    expect(parseHookTarget('org:acme-corp:456')).to.deep.equal({ kind: 'org', org: 'acme-corp', hookId: 456 });
  });

  it('refuses anything else: no id, a bad name, another kind, a path in the name', () => {
    for (const text of ['repo:octo/app', 'repo:octo:1', 'org:-bad:1', 'app:1', 'repo:octo/app/x:1', 'org:acme:12a', '']) {
      expect(parseHookTarget(text), text).to.equal(undefined);
    }
  });
});

describe('hookKey and hookDeliveriesPath', () => {
  it('name each hook stably and give the REST path of its deliveries', () => {
    const targets = [{ kind: 'app' as const }, parseHookTarget('repo:octo/app:123')!, parseHookTarget('org:acme:456')!];
    expect(targets.map(hookKey)).to.deep.equal(['app', 'repo:octo/app:123', 'org:acme:456']);
    expect(targets.map(hookDeliveriesPath)).to.deep.equal(['/app/hook/deliveries', '/repos/octo/app/hooks/123/deliveries', '/orgs/acme/hooks/456/deliveries']);
  });

  it('round-trips: the key of a parsed entry is the entry', () => {
    for (const text of ['repo:octo/app:123', 'org:acme:456']) expect(hookKey(parseHookTarget(text)!)).to.equal(text);
  });
});
