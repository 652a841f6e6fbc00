import type { EntityManager } from '@mikro-orm/postgresql';
import { RecoveryCheckpointSchema } from './entities/recovery-checkpoint.js';
import { RecoveryRequestSchema, type RecoveryRequest } from './entities/recovery-request.js';
import { RecoveryRunSchema, type RecoveryRun, type RecoveryTrigger } from './entities/recovery-run.js';
import { WebhookDeliverySchema } from './entities/webhook-delivery.js';
import { findPage } from './find-page.js';
import type { Page, PageOf } from './page.js';

/** Records a run that starts now. */
export async function startRecoveryRun(em: EntityManager, fields: { trigger: RecoveryTrigger; since: Date }): Promise<RecoveryRun> {
  const run = em.create(RecoveryRunSchema, { trigger: fields.trigger, since: fields.since, status: 'running' } as RecoveryRun);
  await em.flush();
  return run;
}

/** Writes a run's counts and how it ended. */
export async function finishRecoveryRun(
  em: EntityManager,
  id: string,
  fields: Pick<RecoveryRun, 'status' | 'scanned' | 'failed' | 'alreadyAccepted' | 'requested' | 'resumeAt' | 'error'>,
): Promise<void> {
  await em.nativeUpdate(RecoveryRunSchema, { id }, { ...fields, finishedAt: new Date() });
}

/** A run with the redeliveries it asked for. */
export interface RecoveryRunDetail {
  run: RecoveryRun;
  requests: RecoveryRequest[];
}

/** Runs newest first, each with its requests. */
export async function listRecoveryRuns(em: EntityManager, page: Page): Promise<PageOf<RecoveryRunDetail>> {
  const { rows: runs, total } = await findPage(em, RecoveryRunSchema, {}, ['startedAt', 'id'], page);
  const requests = runs.length === 0 ? [] : await em.find(RecoveryRequestSchema, { runId: { $in: runs.map((run) => run.id) } }, { orderBy: { requestedAt: 'asc' } });
  return { rows: runs.map((run) => ({ run, requests: requests.filter((request) => request.runId === run.id) })), total };
}

/** One run with its requests, or null. */
export async function getRecoveryRun(em: EntityManager, id: string): Promise<RecoveryRunDetail | null> {
  const run = await em.findOne(RecoveryRunSchema, { id });
  if (!run) return null;
  return { run, requests: await em.find(RecoveryRequestSchema, { runId: id }, { orderBy: { requestedAt: 'asc' } }) };
}

/** Of `guids`, those a recovery already asked GitHub to redeliver (by any run, on any instance). */
export async function requestedGuids(em: EntityManager, guids: readonly string[]): Promise<Set<string>> {
  if (guids.length === 0) return new Set();
  const rows = await em.find(RecoveryRequestSchema, { guid: { $in: [...guids] } }, { fields: ['guid'] });
  return new Set(rows.map((row) => row.guid));
}

/** Of `guids`, those that have a delivery row: the service accepted them. */
export async function acceptedDeliveryIds(em: EntityManager, guids: readonly string[]): Promise<Set<string>> {
  if (guids.length === 0) return new Set();
  const rows = await em.find(WebhookDeliverySchema, { deliveryId: { $in: [...guids] } }, { fields: ['deliveryId'] });
  return new Set(rows.map((row) => row.deliveryId));
}

/**
 * Claims `request.guid` for one redelivery. Resolves false when another run (or instance) already
 * claimed it: the primary key decides, so two racing runs cannot both ask GitHub.
 */
export async function claimRecoveryRequest(em: EntityManager, request: Omit<RecoveryRequest, 'requestedAt' | 'error'>): Promise<boolean> {
  const inserted = await em
    .createQueryBuilder(RecoveryRequestSchema)
    .insert({ ...request, requestedAt: new Date(), error: null })
    .onConflict('guid')
    .ignore()
    .execute('run');
  return (inserted as { affectedRows?: number }).affectedRows === 1;
}

/** Notes how GitHub answered a claimed request. */
export async function settleRecoveryRequest(em: EntityManager, guid: string, fields: Pick<RecoveryRequest, 'outcome' | 'error'>): Promise<void> {
  await em.nativeUpdate(RecoveryRequestSchema, { guid }, fields);
}

/** Releases a claim that was never sent (the run paused before asking GitHub). */
export async function releaseRecoveryRequest(em: EntityManager, guid: string): Promise<void> {
  await em.nativeDelete(RecoveryRequestSchema, { guid });
}

/** The newest delivery id a completed run looked at for `hook`, or undefined. */
export async function recoveryCheckpoint(em: EntityManager, hook: string): Promise<number | undefined> {
  return (await em.findOne(RecoveryCheckpointSchema, { hook }))?.lastDeliveryId;
}

/** Moves `hook`'s checkpoint forward to `lastDeliveryId` (never backwards). */
export async function saveRecoveryCheckpoint(em: EntityManager, hook: string, lastDeliveryId: number): Promise<void> {
  await em.getConnection().execute(
    `insert into "recovery_checkpoints" ("hook", "last_delivery_id", "updated_at") values (?, ?, now())
     on conflict ("hook") do update set "last_delivery_id" = greatest("recovery_checkpoints"."last_delivery_id", excluded."last_delivery_id"), "updated_at" = now()`,
    [hook, lastDeliveryId],
  );
}
