import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { marbleScheduler } from '../../helpers/marble-scheduler.js';
import { dedupeByKey } from '../../../src/operators/dedupe-by-key.js';

interface Delivery {
  id: string;
  n: number;
}

const byId = (d: Delivery): string => d.id;

describe('dedupeByKey', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = marbleScheduler();
  });

  it('passes the first value of each key and drops repeats within the window', () => {
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd2', n: 1 }, c: { id: 'd1', n: 2 }, d: { id: 'd3', n: 1 } };
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcd|', values);
      const subs = '       ^---!';
      const expected = '   ab-d|';

      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 10 }))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('passes a value whose key is undefined without remembering it', () => {
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd1', n: 2 }, c: { id: 'd1', n: 3 } };
    testScheduler.run(({ cold, expectObservable }) => {
      // n = 2 is exempt (a deliberate redelivery): it passes, and the later repeat is still dropped.
      const keyUnlessExempt = (d: Delivery): string | undefined => (d.n === 2 ? undefined : d.id);
      expectObservable(cold('abc|', values).pipe(dedupeByKey({ key: keyUnlessExempt, windowMs: 10 }))).toBe('ab-|', values);
    });
  });

  it('hands every dropped repeat to onDuplicate', () => {
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd1', n: 2 }, c: { id: 'd1', n: 3 } };
    const duplicates: Delivery[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const result = cold('abc|', values).pipe(
        dedupeByKey({ key: byId, windowMs: 10, onDuplicate: (d) => duplicates.push(d) }),
      );
      expectObservable(result).toBe('a--|', values);
    });
    expect(duplicates).to.deep.equal([values.b, values.c]);
  });

  it('forgets a key once the window after its first value has passed', () => {
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd1', n: 2 }, c: { id: 'd1', n: 3 } };
    testScheduler.run(({ cold, expectObservable }) => {
      // Window 5 from the first value at 0: the repeat at 4 is dropped, the one at 6 passes.
      const source = cold('a---b-c|', values);
      const expected = '   a-----c|';

      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 5 }))).toBe(expected, values);
    });
  });

  it('measures the window from the first value, not from the latest repeat', () => {
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd1', n: 2 }, c: { id: 'd1', n: 3 } };
    testScheduler.run(({ cold, expectObservable }) => {
      // Repeats at 3 would extend a sliding window past 5; the value at exactly 5 must pass.
      const source = cold('a--b-c|', values);
      const expected = '   a----c|';

      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 5, scheduler: testScheduler }))).toBe(expected, values);
    });
  });

  it('forgets the oldest key first once maxKeys are remembered', () => {
    const values: Record<string, Delivery> = {
      a: { id: 'd1', n: 1 },
      b: { id: 'd2', n: 1 },
      c: { id: 'd3', n: 1 },
      d: { id: 'd1', n: 2 },
      e: { id: 'd3', n: 2 },
    };
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('abcde|', values);
      const expected = '   abcd-|';

      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 100, maxKeys: 2 }))).toBe(expected, values);
    });
  });

  it('forwards the source error', () => {
    const error = new Error('consumer closed');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-#', { a: { id: 'd1', n: 1 } }, error);
      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 5 }))).toBe('a-#', { a: { id: 'd1', n: 1 } }, error);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('forwards an error thrown by the key function or onDuplicate and stops', () => {
    const error = new Error('hook failed');
    const values: Record<string, Delivery> = { a: { id: 'd1', n: 1 }, b: { id: 'd1', n: 2 } };
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-|', values);
      const onDuplicate = (): void => {
        throw error;
      };
      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 10, onDuplicate }))).toBe('a-#', values, error);
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribes from the source when unsubscribed mid-flight', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-|', { a: { id: '1', n: 1 }, b: { id: '2', n: 1 }, c: { id: '3', n: 1 } });
      const unsub = '      ---!';
      const expected = '   a-b-';

      expectObservable(source.pipe(dedupeByKey({ key: byId, windowMs: 10 })), unsub).toBe(expected, {
        a: { id: '1', n: 1 },
        b: { id: '2', n: 1 },
      });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('keeps what it has seen per subscription', () => {
    const values = { a: { id: 'd1', n: 1 } };
    testScheduler.run(({ cold, expectObservable }) => {
      const deduped = cold('a-a|', values).pipe(dedupeByKey({ key: byId, windowMs: 10 }));
      expectObservable(deduped).toBe('a--|', values);
      expectObservable(deduped).toBe('a--|', values);
    });
  });

  it('rejects a non-positive window or maxKeys at creation', () => {
    expect(() => dedupeByKey({ key: byId, windowMs: 0 })).to.throw(RangeError, /windowMs/);
    expect(() => dedupeByKey({ key: byId, windowMs: -1 })).to.throw(RangeError, /windowMs/);
    expect(() => dedupeByKey({ key: byId, windowMs: Number.NaN })).to.throw(RangeError, /windowMs/);
    expect(() => dedupeByKey({ key: byId, windowMs: 10, maxKeys: 0 })).to.throw(RangeError, /maxKeys/);
    expect(() => dedupeByKey({ key: byId, windowMs: Infinity })).not.to.throw();
  });

  it('remembers a key cut from a long string without keeping the long string alive', () => {
    // A header value is a slice of the message's whole header block; 5,000 remembered keys cut from
    // 4 KB blocks would keep ~40 MB (two bytes a character) if the keys were stored as the slices.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const source = new Subject<string>();
    const subscription = source.pipe(dedupeByKey({ key: (block) => block.slice(100, 136), windowMs: Infinity })).subscribe();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let n = 0; n < 5000; n++) source.next(`${n}`.padStart(100, '#') + crypto.randomUUID() + 'x'.repeat(4000));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    subscription.unsubscribe();
    expect(grown).to.be.below(5_000_000);
  });
});
