import { expect } from 'chai';
import { catchError, concatMap, of, throwError } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { bufferBatch } from '../../../src/operators/buffer-batch.js';

describe('bufferBatch', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('emits a batch as soon as it holds maxSize values, without waiting', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-abc-def-|');
      const subs = '      ^--------!';
      const expected = '  ---x---y-|';
      expectObservable(source.pipe(bufferBatch({ maxSize: 3, maxWaitMs: 100 }))).toBe(expected, {
        x: ['a', 'b', 'c'],
        y: ['d', 'e', 'f'],
      });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('emits a partial batch maxWaitMs after its first value, and starts no timer while idle', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-ab------------c-------|');
      // a arrives at 1: its batch goes out at 1 + 5 = 6. c arrives at 15: out at 20. Nothing in between.
      const expected = '  ------x-------------y--|';
      expectObservable(source.pipe(bufferBatch({ maxSize: 10, maxWaitMs: 5 }))).toBe(expected, {
        x: ['a', 'b'],
        y: ['c'],
      });
    });
  });

  it('with maxWaitMs 0 groups the values of one instant', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-(abc)--d|');
      expectObservable(source.pipe(bufferBatch({ maxSize: 10, maxWaitMs: 0 }))).toBe('-x------y|', {
        x: ['a', 'b', 'c'],
        y: ['d'],
      });
    });
  });

  it('flushes the partial batch on completion, then completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('ab|');
      expectObservable(source.pipe(bufferBatch({ maxSize: 10, maxWaitMs: 50 }))).toBe('--(x|)', { x: ['a', 'b'] });
    });
  });

  it('drops the partial batch on a source error and forwards the error', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('ab#', undefined, new Error('consumer gone'));
      expectObservable(source.pipe(bufferBatch({ maxSize: 10, maxWaitMs: 50 }))).toBe('--#', undefined, new Error('consumer gone'));
    });
  });

  it('keeps batching after one batch fails downstream, when the failure is caught per batch', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-ab-cd-ef-|');
      const handled = source.pipe(
        bufferBatch({ maxSize: 2, maxWaitMs: 100 }),
        // The second batch holds a poison value: its handler fails, the pipeline goes on.
        concatMap((batch) =>
          (batch.includes('c') ? throwError(() => new Error('poison')) : of(batch.join(''))).pipe(
            catchError(() => of('failed')),
          ),
        ),
      );
      expectObservable(handled).toBe('--x--y--z-|', { x: 'ab', y: 'failed', z: 'ef' });
    });
  });

  it('cancels the pending wait on unsubscribe: nothing is emitted afterwards', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-----b');
      const unsub = '     ---!';
      expectObservable(source.pipe(bufferBatch({ maxSize: 10, maxWaitMs: 5 })), unsub).toBe('----');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('refuses a maxSize below 1 or a negative wait at creation', () => {
    expect(() => bufferBatch({ maxSize: 0 })).to.throw(RangeError, /maxSize/);
    expect(() => bufferBatch({ maxSize: 1.5 })).to.throw(RangeError, /maxSize/);
    expect(() => bufferBatch({ maxSize: 4, maxWaitMs: -1 })).to.throw(RangeError, /maxWaitMs/);
  });

  it('with maxSize 1 emits every value alone at once', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot('-ab|');
      expectObservable(source.pipe(bufferBatch({ maxSize: 1 }))).toBe('-xy|', { x: ['a'], y: ['b'] });
    });
  });
});
