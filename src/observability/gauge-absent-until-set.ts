import { Gauge } from 'prom-client';

/**
 * A gauge that exports no sample until it is first set. prom-client starts a gauge without
 * labels at 0, which is a claim ("0 left") when nothing has been measured yet; this one stays
 * absent, so queries and alerts see "no data" instead of a false value.
 */
export class GaugeAbsentUntilSet<T extends string = never> extends Gauge<T> {
  override reset(): void {
    // prom-client keeps its samples in `hashMap`; an empty map exports HELP and TYPE only.
    (this as unknown as { hashMap: Record<string, unknown> }).hashMap = {};
  }
}
