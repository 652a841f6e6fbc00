import { expect } from 'chai';
import { freshenExample } from '../../../src/cli/freshen-example.js';
import { eventTimeOf } from '../../../src/ingress/event-age-rule.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';

describe('freshenExample', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0, 123);

  it('moves the event time the age rule reads to now, in the payload’s own format', () => {
    const run = freshenExample('check_run', examplePayload('check_run', (p) => p.action === 'completed'), now);
    expect(eventTimeOf('check_run', run)).to.deep.equal({ field: 'check_run.completed_at', at: now });
    const push = freshenExample('push', examplePayload('push'), now);
    expect(eventTimeOf('push', push)).to.deep.equal({ field: 'repository.pushed_at', at: Math.floor(now / 1000) * 1000 });
  });

  it('leaves an event without such a time, and the original example, untouched', () => {
    const issue = examplePayload('issues', (p) => p.action === 'opened');
    expect(freshenExample('issues', issue, now)).to.deep.equal(issue);
    const pr = examplePayload('pull_request', (p) => p.action === 'opened');
    const before = JSON.stringify(pr);
    freshenExample('pull_request', pr, now);
    expect(JSON.stringify(pr)).to.equal(before);
  });
});
