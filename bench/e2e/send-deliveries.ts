import { runLoadTest, type LoadTestResult } from '../harness/load-test.js';
import type { DistinctPullRequests } from './distinct-pull-requests.js';

/** What the answers to one or more loads of deliveries were: every latency, and when the last came. */
export interface AnswerLog {
  latencies: number[];
  /** performance.now() of the last answer (the webhook clock stops there, not when autocannon returns). */
  lastAnswerAt: number;
}

export function answerLog(startedAt: number): AnswerLog {
  return { latencies: [], lastAnswerAt: startedAt };
}

/**
 * Sends `amount` signed deliveries at `connections` to `url`, each the next of `deliveries` by
 * `next()` (a counter shared by parallel loads), logging every answer into `answers`.
 */
export function sendDeliveries(options: {
  url: string;
  connections: number;
  amount: number;
  deliveries: DistinctPullRequests;
  next: () => number;
  answers: AnswerLog;
}): Promise<LoadTestResult> {
  const { deliveries, next, answers } = options;
  return runLoadTest({
    url: options.url,
    connections: options.connections,
    amount: options.amount,
    method: 'POST',
    headers: {},
    body: Buffer.alloc(0),
    perRequest: () => deliveries.delivery(next()),
    onLatency: (ms) => {
      answers.latencies.push(ms);
      answers.lastAnswerAt = performance.now();
    },
    timeoutSeconds: 30,
  });
}
