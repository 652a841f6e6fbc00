import { expect } from 'chai';
import { deadLetterSubject, subjectTemplate, subjectToken, taskSubject, webhookSubject } from '../../../src/contracts/subjects.js';

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

describe('subjectTemplate', () => {
  it('writes a GITHUB subject’s body digest as {digest}, namespaced or not, and leaves other subjects alone', () => {
    const digest = '0f'.repeat(32);
    expect(subjectTemplate(`github.push.none.${digest}`)).to.equal('github.push.none.{digest}');
    expect(subjectTemplate(`ns_1.github.pull_request.opened.${digest}`)).to.equal('ns_1.github.pull_request.opened.{digest}');
    expect(subjectTemplate('github.push.none')).to.equal('github.push.none');
    expect(subjectTemplate('tasks.analysis.push_analysis')).to.equal('tasks.analysis.push_analysis');
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
