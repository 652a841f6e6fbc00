import { expect } from 'chai';
import { deadLetterSubject, subjectToken, taskSubject, webhookSubject } from '../../../src/contracts/subjects.js';

describe('subjectToken', () => {
  it('keeps letters, digits, "_" and "-" and replaces whatever NATS would read as structure', () => {
    expect(subjectToken('pull_request')).to.equal('pull_request');
    expect(subjectToken('a.b*c>d e')).to.equal('a_b_c_d_e');
  });

  it('writes "none" for a missing or empty value', () => {
    expect([subjectToken(undefined), subjectToken(null), subjectToken('')]).to.deep.equal(['none', 'none', 'none']);
  });
});

describe('webhookSubject', () => {
  it('is github.<event>.<action>, with none for an event without action', () => {
    expect(webhookSubject('pull_request', 'opened')).to.equal('github.pull_request.opened');
    expect(webhookSubject('push', undefined)).to.equal('github.push.none');
  });

  it('cannot be widened into a wildcard by what a payload says', () => {
    expect(webhookSubject('push', '>')).to.equal('github.push._');
  });

  it('ends with the body digest when given, one token that the consumers’ github.<event>.> filters match', () => {
    const digest = 'ab'.repeat(32);
    expect(webhookSubject('pull_request', 'opened', digest)).to.equal(`github.pull_request.opened.${digest}`);
    expect(webhookSubject('push', undefined, digest).split('.')).to.have.length(4);
  });
});

describe('taskSubject', () => {
  it('is tasks.<kind>', () => {
    expect(taskSubject('codegen_trigger')).to.equal('tasks.codegen_trigger');
    expect(taskSubject('analysis.push_analysis')).to.equal('tasks.analysis.push_analysis');
  });
});

describe('deadLetterSubject', () => {
  it('is dlq.<stream>.<consumer> with each part a single token', () => {
    expect(deadLetterSubject('t1_GITHUB', 'actor.pull_request')).to.equal('dlq.t1_GITHUB.actor_pull_request');
  });
});
