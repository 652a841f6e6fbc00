import { expect } from 'chai';
import { createDependencyBreakers } from '../../../src/actors/dependency-breakers.js';
import { AppError } from '../../../src/errors/app-error.js';

describe('createDependencyBreakers', () => {
  it('makes one breaker per dependency, named after it, all closed', () => {
    const breakers = createDependencyBreakers();
    try {
      expect(Object.fromEntries(Object.entries(breakers).map(([key, breaker]) => [key, [breaker.name, breaker.state]]))).to.deep.equal({
        database: ['database', 'closed'],
        github: ['github', 'closed'],
        codegen: ['codegen', 'closed'],
      });
    } finally {
      Object.values(breakers).forEach((breaker) => breaker.dispose());
    }
  });

  it('counts a dependency failing against GitHub and Codegen, but not being told to wait or a permanent answer', () => {
    const { github, codegen, database } = createDependencyBreakers();
    try {
      for (const breaker of [github, codegen]) {
        expect(breaker.recordFailure(new AppError('dependency_timeout', 'no answer'))).to.equal(true);
        expect(breaker.recordFailure(new AppError('dependency_failed', '502'))).to.equal(true);
        expect(breaker.recordFailure(new AppError('rate_limited', 'wait', { retryAfterSeconds: 60 }))).to.equal(false);
        expect(breaker.recordFailure(new AppError('circuit_open', 'open'))).to.equal(false);
        expect(breaker.recordFailure(new AppError('permanent_failure', 'no such check run'))).to.equal(false);
      }
    } finally {
      [github, codegen, database].forEach((breaker) => breaker.dispose());
    }
  });

  it('counts only PostgreSQL not being there against the database, not an error in the data', () => {
    const breakers = createDependencyBreakers();
    try {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const badData = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      expect(breakers.database.recordFailure(refused)).to.equal(true);
      expect(breakers.database.recordFailure(badData)).to.equal(false);
      expect(breakers.database.recordFailure(new AppError('dependency_timeout', 'GitHub'))).to.equal(false);
    } finally {
      Object.values(breakers).forEach((breaker) => breaker.dispose());
    }
  });

  it('opens after the failure threshold given, and probes after the cool-down given', async () => {
    const breakers = createDependencyBreakers({ failureThreshold: 2, coolDownMs: 20 });
    try {
      const fault = new AppError('dependency_failed', '503');
      breakers.github.recordFailure(fault);
      expect(breakers.github.state).to.equal('closed');
      breakers.github.recordFailure(fault);
      expect(breakers.github.state).to.equal('open');
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(breakers.github.state).to.equal('half_open');
      expect(breakers.codegen.state).to.equal('closed');
    } finally {
      Object.values(breakers).forEach((breaker) => breaker.dispose());
    }
  });
});
