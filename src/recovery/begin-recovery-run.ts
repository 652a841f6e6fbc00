import type { MikroORM } from '@mikro-orm/postgresql';
import { hookKey, type HookTarget } from '../contracts/hook-target.js';
import type { RecoveryRun, RecoveryTrigger } from '../effects/db/entities/recovery-run.js';
import {
  acceptedDeliveryIds,
  claimRecoveryRequest,
  finishRecoveryRun,
  recoveryCheckpoint,
  releaseRecoveryRequest,
  requestedGuids,
  saveRecoveryCheckpoint,
  settleRecoveryRequest,
  startRecoveryRun,
} from '../effects/db/recovery-store.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { GithubHookDeliveries, HookDeliveryItem } from './github-hook-deliveries.js';
import { attemptFailed, scanHookDeliveries } from './scan-hook-deliveries.js';

/** Options of {@link beginRecoveryRun}. */
export interface RecoveryRunOptions {
  targets: readonly HookTarget[];
  github: GithubHookDeliveries;
  orm: MikroORM;
  /** Of `guids`, those the GITHUB stream holds (as Nats-Msg-Id) among messages stored since `since`. */
  inStream(guids: ReadonlySet<string>, since: Date): Promise<Set<string>>;
  /** How far back a scheduled run looks when a hook has no checkpoint (GitHub keeps 3 days). */
  lookbackMs: number;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}

/** How a run ended. */
export type RecoveryOutcome = Pick<RecoveryRun, 'status' | 'scanned' | 'failed' | 'alreadyAccepted' | 'requested' | 'resumeAt' | 'error'>;

/**
 * Records a run as started and carries it out in the background: for each hook, the failed events
 * (latest attempt not 2xx) that the service never accepted — no delivery row, no GITHUB message —
 * and that no run asked for before are redelivered once each. A rate limit pauses the run (status
 * `paused`, `resumeAt`); the checkpoint of a hook moves only when its walk completed.
 */
export async function beginRecoveryRun(
  options: RecoveryRunOptions,
  request: { trigger: RecoveryTrigger; since?: Date | undefined },
): Promise<{ run: RecoveryRun; finished: Promise<RecoveryOutcome> }> {
  const now = options.now ?? Date.now;
  const horizon = new Date(now() - options.lookbackMs);
  const since = request.since && request.since > horizon ? request.since : horizon;
  const run = await startRecoveryRun(options.orm.em.fork(), { trigger: request.trigger, since });
  const log = options.logger.child({ recovery_run: run.id, trigger: request.trigger });
  const finished = carryOut(options, run.id, since, request.since !== undefined, log).then(
    (outcome) => outcome,
    (error: unknown) => ({ ...EMPTY, status: 'failed' as const, error: error instanceof Error ? error.message : String(error) }),
  ).then(async (outcome) => {
    await finishRecoveryRun(options.orm.em.fork(), run.id, outcome);
    options.metrics.recoveryRuns.inc({ trigger: request.trigger, status: outcome.status });
    log.info({ ...outcome }, `recovery run ${outcome.status}`);
    return outcome;
  });
  return { run, finished };
}

const EMPTY: RecoveryOutcome = { status: 'completed', scanned: 0, failed: 0, alreadyAccepted: 0, requested: 0, resumeAt: null, error: null };

async function carryOut(options: RecoveryRunOptions, runId: string, since: Date, manual: boolean, log: Logger): Promise<RecoveryOutcome> {
  const outcome: RecoveryOutcome = { ...EMPTY };
  const em = () => options.orm.em.fork();
  for (const target of options.targets) {
    const hook = hookKey(target);
    // A manual run with `since` looks at everything since then, checkpoint or not.
    const checkpoint = manual ? undefined : await recoveryCheckpoint(em(), hook);
    const scan = await scanHookDeliveries(options.github, target, { checkpoint, since });
    if (scan.kind === 'rate_limited') return { ...outcome, status: 'paused', resumeAt: scan.resumeAt };
    outcome.scanned += scan.scanned;
    const failed = [...scan.latest.values()].filter(attemptFailed);
    outcome.failed += failed.length;
    const asked = await requestedGuids(em(), failed.map((item) => item.guid));
    const unasked = failed.filter((item) => !asked.has(item.guid));
    const accepted = await acceptedAnywhere(options, unasked);
    outcome.alreadyAccepted += accepted.size;
    for (const item of unasked.filter((candidate) => !accepted.has(candidate.guid))) {
      const claimed = await claimRecoveryRequest(em(), {
        guid: item.guid,
        hookDeliveryId: item.id,
        hook,
        event: item.event,
        action: item.action ?? null,
        runId,
        outcome: 'requested',
        failedStatusCode: item.status_code,
      });
      if (!claimed) continue;
      const answer = await options.github.redeliver(target, item.id).catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        await settleRecoveryRequest(em(), item.guid, { outcome: 'failed', error: message });
        options.metrics.recoveryRedeliveries.inc({ outcome: 'failed' });
        log.warn({ guid: item.guid, hook, err: error }, 'GitHub refused the redelivery');
        return undefined;
      });
      if (answer === undefined) continue;
      if (answer.kind === 'rate_limited') {
        // Not sent: give the GUID back so that the resumed run asks for it.
        await releaseRecoveryRequest(em(), item.guid);
        return { ...outcome, status: 'paused', resumeAt: answer.resumeAt };
      }
      outcome.requested += 1;
      options.metrics.recoveryRedeliveries.inc({ outcome: 'requested' });
      log.info({ guid: item.guid, hook, event: item.event, failed_status: item.status_code }, 'asked GitHub to redeliver a missed delivery');
      if (answer.exhaustedUntil) return { ...outcome, status: 'paused', resumeAt: answer.exhaustedUntil };
    }
    if (scan.newestId !== undefined) await saveRecoveryCheckpoint(em(), hook, scan.newestId);
  }
  return outcome;
}

/** GUIDs the service accepted: a delivery row, or (not yet processed) a message in GITHUB. */
async function acceptedAnywhere(options: RecoveryRunOptions, items: readonly HookDeliveryItem[]): Promise<Set<string>> {
  const guids = items.map((item) => item.guid);
  const accepted = await acceptedDeliveryIds(options.orm.em.fork(), guids);
  const rest = new Set(guids.filter((guid) => !accepted.has(guid)));
  if (rest.size === 0) return accepted;
  // The message is stored during the request GitHub timed, so never before the attempt started.
  const earliest = Math.min(...items.filter((item) => rest.has(item.guid)).map((item) => Date.parse(item.delivered_at)));
  for (const guid of await options.inStream(rest, new Date(earliest - 60_000))) accepted.add(guid);
  return accepted;
}
