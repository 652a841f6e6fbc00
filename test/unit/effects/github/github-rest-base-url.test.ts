import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { githubRestBaseUrl } from '../../../../src/effects/github/github-rest-base-url.js';

describe('githubRestBaseUrl', () => {
  it('drops /graphql for github.com', () => {
    expect(githubRestBaseUrl('https://api.github.com/graphql')).to.equal('https://api.github.com');
  });

  it('turns /api/graphql into /api/v3 for GitHub Enterprise Server', () => {
    expect(githubRestBaseUrl('https://ghes.example.com/api/graphql')).to.equal('https://ghes.example.com/api/v3');
  });

  it('keeps ports and tolerates a trailing slash', () => {
    expect(githubRestBaseUrl('http://127.0.0.1:8080/api/graphql/')).to.equal('http://127.0.0.1:8080/api/v3');
    expect(githubRestBaseUrl('http://127.0.0.1:8080/graphql')).to.equal('http://127.0.0.1:8080');
  });

  it('refuses a URL it cannot derive a REST API from', () => {
    expect(() => githubRestBaseUrl('https://ghes.example.com/api/v4')).to.throw(AppError, /must end with \/graphql/);
  });
});
