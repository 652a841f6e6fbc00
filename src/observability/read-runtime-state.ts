import type { Registry } from 'prom-client';
import { BREAKER_STATE_VALUE } from './metrics.js';

/** A circuit breaker's state, as the metrics gauge reports it. */
export interface BreakerStateView {
  dependency: string;
  state: 'closed' | 'half_open' | 'open';
}

/** Messages a durable consumer has yet to settle (pending + unacknowledged). */
export interface ConsumerDepthView {
  consumer: string;
  pending: number;
}

/** What this instance knows live: breaker states and queue depths, read from its metrics. */
export interface RuntimeState {
  breakers: BreakerStateView[];
  consumers: ConsumerDepthView[];
}

/** Reads {@link RuntimeState} (from the service's own metrics registry). */
export type ReadRuntimeState = () => Promise<RuntimeState>;

const STATE_BY_VALUE = new Map<number, BreakerStateView['state']>(
  Object.entries(BREAKER_STATE_VALUE).map(([state, value]) => [value, state as BreakerStateView['state']]),
);

/**
 * Breaker states and consumer depths, read from the service's own metrics registry: the numbers
 * an operator sees in the console are exactly those Prometheus scrapes, with no second path to
 * them. A gauge never set yet (no actors in this process) reads as an empty list.
 */
export async function readRuntimeState(registry: Registry): Promise<RuntimeState> {
  const values = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  const breakers = (await values('orchestrator_circuit_breaker_state')).flatMap(({ labels, value }) => {
    const state = STATE_BY_VALUE.get(value);
    return state && labels.dependency !== undefined ? [{ dependency: String(labels.dependency), state }] : [];
  });
  const consumers = (await values('orchestrator_consumer_pending_messages')).flatMap(({ labels, value }) =>
    labels.consumer !== undefined ? [{ consumer: String(labels.consumer), pending: value }] : [],
  );
  const byName = <T>(key: (item: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
  return {
    breakers: breakers.sort(byName((b) => b.dependency)),
    consumers: consumers.sort(byName((c) => c.consumer)),
  };
}
