import type { BatchItem } from './actor-definition.js';

/** What grouping needs of an actor's input: the delivery it is about, and whether it is a replay. */
export interface DeliveryKeyed {
  deliveryId: string;
  replayOf: string | undefined;
}

/** The first message of a delivery in a batch, which speaks for all of them, and how many there are. */
export interface DeliveryGroup<Input extends DeliveryKeyed> {
  /** Index of the first message for this delivery in the batch. */
  index: number;
  envelope: Input;
  /** Messages for this delivery in the batch (a redelivery beside its original, an operator's replay). */
  count: number;
  /** Indexes of the other messages for the same delivery. */
  repeats: number[];
}

/**
 * Groups a batch's messages by delivery id, in first-seen order. One upsert cannot touch a row twice,
 * and two messages of one delivery ask for the same work: the first is handled, the rest are repeats.
 * A replay counts as its own group's leader when it comes first, so its retry of failed work is kept.
 */
export function groupByDelivery<Input extends DeliveryKeyed>(items: ReadonlyArray<BatchItem<Input>>): Array<DeliveryGroup<Input>> {
  const groups = new Map<string, DeliveryGroup<Input>>();
  items.forEach((item, index) => {
    const group = groups.get(item.input.deliveryId);
    if (group) {
      group.count += 1;
      group.repeats.push(index);
      // A replay asks for more than the plain repeat it sits beside: let it lead.
      if (item.input.replayOf !== undefined && group.envelope.replayOf === undefined) {
        group.repeats[group.repeats.length - 1] = group.index;
        group.index = index;
        group.envelope = item.input;
      }
    } else {
      groups.set(item.input.deliveryId, { index, envelope: item.input, count: 1, repeats: [] });
    }
  });
  return [...groups.values()];
}
