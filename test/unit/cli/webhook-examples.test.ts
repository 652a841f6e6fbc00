import { expect } from 'chai';
import { exampleEvents, findExamplePayload } from '../../../src/cli/webhook-examples.js';

describe('findExamplePayload', () => {
  it('finds a real example of an event, the first matching the condition', () => {
    const opened = findExamplePayload('pull_request', (payload) => payload.action === 'opened')!;
    expect(opened.action).to.equal('opened');
    expect(opened).to.have.nested.property('pull_request.number');
  });

  it('returns a copy the caller may change', () => {
    const first = findExamplePayload('ping')!;
    first.zen = 'changed';
    expect(findExamplePayload('ping')!.zen).to.not.equal('changed');
  });

  it('finds none for an event or condition without an example', () => {
    expect(findExamplePayload('no_such_event')).to.equal(undefined);
    expect(findExamplePayload('push', () => false)).to.equal(undefined);
  });
});

describe('exampleEvents', () => {
  it('lists every event with the actions its examples show', () => {
    const events = exampleEvents();
    expect(events.map((event) => event.name)).to.include.members(['push', 'pull_request', 'check_run', 'installation', 'ping']);
    expect(events.find((event) => event.name === 'pull_request')!.actions).to.include('opened');
  });
});
