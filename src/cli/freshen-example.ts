import { eventTimeOf } from '../ingress/event-age-rule.js';

/**
 * An example payload as if its event happened `now`: the field GitHub sets to the event's time
 * (the one the service's event-age rule reads) is moved to now, to the millisecond, so an example
 * from years ago is not refused as stale, and two sends of one example are different bodies, not a
 * replay. Other fields are left as GitHub documented them. Returns a new object.
 */
export function freshenExample(event: string, payload: Record<string, unknown>, now: number): Record<string, unknown> {
  const copy = structuredClone(payload);
  const time = eventTimeOf(event, copy);
  if (!time) return copy;
  const [object, field] = time.field.split('.') as [string, string];
  const holder = copy[object] as Record<string, unknown>;
  // Push payloads carry the repository's times in Unix seconds; everything else in ISO 8601.
  holder[field] = typeof holder[field] === 'number' ? Math.floor(now / 1000) : new Date(now).toISOString();
  return copy;
}
