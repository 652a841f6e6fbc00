import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createAttemptLeaseKeeper, type AttemptLeaseKeeper } from '../../../src/actors/attempt-lease-keeper.js';
import { currentLeaseLeftMs } from '../../../src/effects/db/attempt-leases.js';
import { createTaskOnce, finishAttempt, getTask, startAttempt } from '../../../src/effects/db/task-store.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { useTestDatabase } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('createAttemptLeaseKeeper', function () {
  this.timeout(20_000);
  const db = useTestDatabase();
  const em = () => db().orm.em.fork() as EntityManager;
  const keepers: AttemptLeaseKeeper[] = [];
  afterEach(() => keepers.splice(0).forEach((keeper) => keeper.stop()));

  const keeper = (options: { renewEveryMs?: number } = {}) => {
    const captured = captureLogger();
    const made = createAttemptLeaseKeeper({ fork: em, owner: 'instance-a', leaseMs: 60_000, renewEveryMs: options.renewEveryMs ?? 50, logger: captured.logger });
    keepers.push(made);
    return { keeper: made, captured };
  };
  /** A task whose first attempt `owner` runs under a short lease of its own. */
  const running = async (owner = 'instance-a', leaseMs = 2_000) => {
    const { task } = await createTaskOnce(em(), { taskType: 'push_analysis', repository: 'acme/keeper', deliveryId: randomUUID(), eventType: 'push' });
    await startAttempt(em(), task.id, { owner, leaseMs });
    return { taskId: task.id, number: 1 };
  };
  const leaseLeft = (taskId: string) => currentLeaseLeftMs(em(), taskId, 60_000);

  it('renews the lease of every attempt it holds to its own length, and takes over the ownership of adopted ones', async () => {
    const { keeper: leases } = keeper();
    const own = await running();
    const adopted = await running('instance-gone');
    leases.hold(own);
    leases.hold(adopted);

    await waitFor(async () => (await leaseLeft(own.taskId)) > 50_000 && (await leaseLeft(adopted.taskId)) > 50_000, { message: 'leases renewed' });
    expect((await getTask(em(), adopted.taskId))!.attempts[0]!.owner).to.equal('instance-a');
    expect([leases.owner, leases.leaseMs]).to.deep.equal(['instance-a', 60_000]);
  });

  it('stops renewing a released attempt, but keeps one that another message of this process still holds', async () => {
    const { keeper: leases } = keeper({ renewEveryMs: 100 });
    const released = await running();
    const shared = await running();
    leases.hold(released);
    leases.hold(shared);
    leases.hold(shared);
    leases.release(released);
    leases.release(shared);

    await waitFor(async () => (await leaseLeft(shared.taskId)) > 50_000, { message: 'the shared attempt renewed' });
    expect(await leaseLeft(released.taskId)).to.be.below(2_000);
    expect(leases.reclaimable().size).to.equal(0);
  });

  it('ends the lease of an attempt given up at the next renewal, offering it for reclaim until then, and forgets it when held anew', async () => {
    const { keeper: leases } = keeper();
    const attempt = await running('instance-a', 60_000);
    leases.hold(attempt);
    leases.release(attempt, { gaveUp: true });
    expect([...leases.reclaimable()]).to.deep.equal([[attempt.taskId, 1]]);

    await waitFor(async () => (await leaseLeft(attempt.taskId)) === 0, { message: 'lease ended' });
    await waitFor(() => leases.reclaimable().size === 0, { message: 'reclaim forgotten' });

    leases.release({ taskId: attempt.taskId, number: 1 }, { gaveUp: true });
    leases.hold({ taskId: attempt.taskId, number: 2 });
    expect(leases.reclaimable().size).to.equal(0);
  });

  it('lets go of an attempt closed elsewhere (taken over or retried), saying so once', async () => {
    const { keeper: leases, captured } = keeper();
    const attempt = await running();
    await finishAttempt(em(), attempt.taskId, 1, 'succeeded', { status: 'succeeded' });
    leases.hold(attempt);

    const warned = () => captured.records().filter((record) => record.msg === 'attempt closed elsewhere (taken over or retried); no longer renewing it');
    await waitFor(() => warned().length > 0, { message: 'warned' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(warned().map((record) => [record.task_id, record.attempt])).to.deep.equal([[attempt.taskId, 1]]);
  });

  it('renews nothing after stop: the leases of held attempts run out by themselves', async () => {
    const { keeper: leases } = keeper();
    const attempt = await running();
    leases.stop();
    leases.hold(attempt);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await leaseLeft(attempt.taskId)).to.be.below(2_000);
  });
});
