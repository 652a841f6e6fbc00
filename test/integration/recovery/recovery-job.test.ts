import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createKvLease, openLeaseBucket } from '../../../src/bus/kv-lease.js';
import type { RecoveryRun, RecoveryTrigger } from '../../../src/effects/db/entities/recovery-run.js';
import type { RecoveryOutcome } from '../../../src/recovery/begin-recovery-run.js';
import { createRecoveryJob, type RecoveryJob, type RecoveryJobOptions } from '../../../src/recovery/recovery-job.js';
import { silentLogger } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

const COMPLETED: RecoveryOutcome = { status: 'completed', scanned: 0, failed: 0, alreadyAccepted: 0, requested: 0, resumeAt: null, error: null };

/**
 * The runs a job began, each finished when the test says so: `begin` is the job's one dependency
 * besides its lease (beginRecoveryRun has its own test).
 */
interface ScriptedRun {
  trigger: RecoveryTrigger;
  since?: Date | undefined;
  at: number;
  finish(outcome?: RecoveryOutcome): void;
}
interface ScriptedRuns {
  begun: ScriptedRun[];
  begin: RecoveryJobOptions['begin'];
}
const scripted: ScriptedRuns[] = [];
function scriptedRuns(): ScriptedRuns {
  const begun: ScriptedRun[] = [];
  const begin: RecoveryJobOptions['begin'] = async (request) => {
    let finish!: (outcome: RecoveryOutcome) => void;
    const finished = new Promise<RecoveryOutcome>((resolve) => (finish = resolve));
    begun.push({ ...request, at: Date.now(), finish: (outcome = COMPLETED) => finish(outcome) });
    return { run: { id: randomUUID(), trigger: request.trigger } as RecoveryRun, finished };
  };
  const runs = { begun, begin };
  scripted.push(runs);
  return runs;
}

describe('createRecoveryJob', function () {
  this.timeout(20_000);
  const namespace = uniqueNamespace('job');
  let nc: NatsConnection;
  let kv: KV;
  const jobs: RecoveryJob[] = [];
  before(async () => {
    nc = await connect({ servers: NATS_URL });
    kv = await openLeaseBucket(nc, `${namespace}_recovery`, 30_000);
  });
  after(async () => {
    await nc?.close();
    await deleteNamespace(namespace);
  });
  afterEach(async () => {
    // Runs a test left going end now, so that stop does not wait for them.
    for (const run of scripted.splice(0).flatMap((runs) => runs.begun)) run.finish();
    for (const job of jobs.splice(0)) await job.stop();
  });

  /** A job on its own lease key (`key`), as one instance runs it. */
  const job = (key: string, holder: string, overrides: Partial<RecoveryJobOptions> & Pick<RecoveryJobOptions, 'begin'>) => {
    const made = createRecoveryJob({ lease: createKvLease({ kv, key, holder }), leaseTtlMs: 30_000, intervalMs: 3_600_000, logger: silentLogger(), ...overrides });
    jobs.push(made);
    return made;
  };
  const holderOf = async (key: string) => (await kv.get(key))?.string() || undefined;

  it('starts an operator’s run at once, holding the lease until it ends; no second run starts meanwhile, here or elsewhere', async () => {
    const key = `k${randomUUID().slice(0, 8)}`;
    const runs = scriptedRuns();
    const one = job(key, 'one', { begin: runs.begin });
    const two = job(key, 'two', { begin: runs.begin });
    const since = new Date(Date.now() - 3_600_000);

    const started = await one.trigger(since);
    expect(started.started).to.equal(true);
    expect(runs.begun.map((run) => [run.trigger, run.since])).to.deep.equal([['manual', since]]);
    expect(await holderOf(key)).to.equal('one');
    expect(await one.trigger()).to.deep.equal({ started: false, reason: 'a recovery run is already going on on this instance' });
    expect(await two.trigger()).to.deep.equal({ started: false, reason: 'another instance holds the recovery lease (a run is going on there)' });

    runs.begun[0]!.finish();
    await waitFor(async () => (await holderOf(key)) === undefined, { message: 'the lease released' });
    expect((await two.trigger()).started).to.equal(true);
    expect(runs.begun).to.have.length(2);
  });

  it('runs on schedule, first after firstRunDelayMs, then every intervalMs after the last run ended', async () => {
    const runs = scriptedRuns();
    const scheduled = job(`k${randomUUID().slice(0, 8)}`, 'one', {
      begin: async (request) => {
        const begun = await runs.begin(request);
        runs.begun.at(-1)!.finish();
        return begun;
      },
      firstRunDelayMs: 0,
      intervalMs: 150,
    });
    scheduled.start();

    await waitFor(() => runs.begun.length >= 3, { message: 'three scheduled runs' });
    expect(runs.begun.every((run) => run.trigger === 'schedule')).to.equal(true);
    expect(runs.begun[2]!.at - runs.begun[1]!.at).to.be.at.least(140);
  });

  it('resumes a run paused by GitHub’s rate limit at its resumeAt, not at the next interval', async () => {
    const runs = scriptedRuns();
    const paused = job(`k${randomUUID().slice(0, 8)}`, 'one', { begin: runs.begin, intervalMs: 3_600_000 });
    await paused.trigger();
    runs.begun[0]!.finish({ ...COMPLETED, status: 'paused', resumeAt: new Date(Date.now() + 300) });

    await waitFor(() => runs.begun.length === 2, { message: 'the resumed run' });
    expect(runs.begun[1]!.trigger).to.equal('schedule');
  });

  it('releases the lease when a run cannot begin, and tells the caller why', async () => {
    const key = `k${randomUUID().slice(0, 8)}`;
    const failing = job(key, 'one', { begin: () => Promise.reject(new Error('PostgreSQL is away')) });

    expect(await failing.trigger().catch((error: Error) => error.message)).to.equal('PostgreSQL is away');
    expect(await holderOf(key)).to.equal(undefined);
  });

  it('waits on stop for the run going on, then releases the lease and schedules nothing more', async () => {
    const key = `k${randomUUID().slice(0, 8)}`;
    const runs = scriptedRuns();
    const stopping = job(key, 'one', { begin: runs.begin, firstRunDelayMs: 50, intervalMs: 50 });
    await stopping.trigger();
    stopping.start();

    let stopped = false;
    const stop = stopping.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([stopped, await holderOf(key)]).to.deep.equal([false, 'one']);
    runs.begun[0]!.finish();
    await stop;
    expect(await holderOf(key)).to.equal(undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs.begun).to.have.length(1);
  });
});
