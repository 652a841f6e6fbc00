import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** Per hook, the newest delivery id a completed recovery has looked at: later runs stop there. */
export interface RecoveryCheckpoint {
  /** `app`, `repo:owner/name:id` or `org:name:id`. */
  hook: string;
  lastDeliveryId: number;
  updatedAt: Date;
}

/** Table `recovery_checkpoints`. */
export const RecoveryCheckpointSchema = new EntitySchema<RecoveryCheckpoint>({
  name: 'RecoveryCheckpoint',
  tableName: 'recovery_checkpoints',
  properties: {
    hook: { type: 'text', primary: true },
    lastDeliveryId: { type: new BigIntType('number') },
    updatedAt: { type: 'datetime', defaultRaw: 'now()', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
