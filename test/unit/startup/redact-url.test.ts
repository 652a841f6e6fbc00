import { expect } from 'chai';
import { redactUrl } from '../../../src/startup/redact-url.js';

describe('redactUrl', () => {
  it('replaces a password, keeping the user name, host and database', () => {
    expect(redactUrl('postgresql://orch:s3cret@db.internal:5432/orchestrator')).to.equal('postgresql://orch:***@db.internal:5432/orchestrator');
  });

  it('leaves a URL without a password as it was written, trailing slash or not', () => {
    expect(redactUrl('nats://127.0.0.1:4222')).to.equal('nats://127.0.0.1:4222');
    expect(redactUrl('http://host:8000/')).to.equal('http://host:8000/');
  });

  it('returns text that is not a URL unchanged', () => {
    expect(redactUrl('not a url')).to.equal('not a url');
  });
});
