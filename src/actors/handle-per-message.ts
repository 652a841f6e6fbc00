import { defer, from, lastValueFrom, map, mergeMap, toArray } from 'rxjs';
import { retryBackoff } from '../operators/retry-backoff.js';
import type { ActorContext, ActorOutcome, BatchContext, BatchItem, ItemResult } from './actor-definition.js';
import { isTransientBatchFailure } from './is-transient-batch-failure.js';

/** A handler of one message at a time: its own unit of work, its own outcome. */
export type MessageHandler<Input> = (input: Input, context: ActorContext) => Promise<ActorOutcome>;

/**
 * A batch handler for actors whose work is per message (following a Codegen run, keeping an
 * installation record): each item runs on its own fork of the unit of work, at most `concurrency`
 * at once, a transient failure is retried in process, and a failing item fails alone — it never fails the batch, so nothing is split.
 */
export function handlePerMessage<Input>(handle: MessageHandler<Input>, concurrency: number) {
  return (items: ReadonlyArray<BatchItem<Input>>, context: BatchContext): Promise<ItemResult[]> =>
    lastValueFrom(
      from(items.map((item, index) => ({ item, index }))).pipe(
        mergeMap(
          ({ item, index }) =>
            lastValueFrom(
              defer(() =>
                handle(item.input, {
                  em: context.em.fork(),
                  log: item.log,
                  message: item.message,
                  working: () => item.message.working(),
                  stopping: context.stopping,
                }),
              ).pipe(
                // A blip of a dependency is tried again at once, twice, before the message goes back to JetStream.
                retryBackoff({
                  maxRetries: 2,
                  shouldRetry: (error) => !context.stopping() && isTransientBatchFailure(error),
                  backoff: { strategy: 'exponential', baseMs: 200, maxMs: 2000, jitter: 'full' },
                  onRetry: ({ attempt, delayMs, error }) => item.log.info({ attempt, delay_ms: delayMs, err: error }, 'retrying in process'),
                }),
              ),
            ).then(
              (outcome): [number, ItemResult] => [index, outcome],
              (error: unknown): [number, ItemResult] => [index, { error }],
            ),
          concurrency,
        ),
        toArray(),
        map((settled) => {
          const results = new Array<ItemResult>(items.length);
          for (const [index, result] of settled) results[index] = result;
          return results;
        }),
      ),
      { defaultValue: [] },
    );
}
