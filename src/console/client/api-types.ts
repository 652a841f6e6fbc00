import type { z } from 'zod';
import type { deliveryDetailSchema, deliveryListSchema, deliveryMessageSchema, replayAcceptedSchema } from '../../api/schemas/delivery-schemas.js';
import type { deadLetterListSchema, redriveAcceptedSchema } from '../../api/schemas/dead-letter-schemas.js';
import type { overviewSchema } from '../../api/schemas/overview-schemas.js';
import type { recoveryListSchema, recoveryStartedSchema } from '../../api/schemas/recovery-schemas.js';
import type { taskDetailSchema, taskListSchema, taskViewSchema } from '../../api/schemas/task-schemas.js';

// The answers' types come from the schemas the API validates and documents with (type-only
// imports: nothing of the server is bundled), so the console cannot drift from the API.
export type Overview = z.output<typeof overviewSchema>;
export type DeliveryList = z.output<typeof deliveryListSchema>;
export type DeliveryDetail = z.output<typeof deliveryDetailSchema>;
export type DeliveryMessage = z.output<typeof deliveryMessageSchema>;
export type ReplayAccepted = z.output<typeof replayAcceptedSchema>;
export type TaskList = z.output<typeof taskListSchema>;
export type TaskView = z.output<typeof taskViewSchema>;
export type TaskDetail = z.output<typeof taskDetailSchema>;
export type DeadLetterList = z.output<typeof deadLetterListSchema>;
export type RedriveAccepted = z.output<typeof redriveAcceptedSchema>;
export type RecoveryRunList = z.output<typeof recoveryListSchema>;
export type RecoveryStarted = z.output<typeof recoveryStartedSchema>;
