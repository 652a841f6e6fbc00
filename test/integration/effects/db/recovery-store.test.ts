import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { recordDeliveryReceived } from '../../../../src/effects/db/delivery-store.js';
import {
  acceptedDeliveryIds,
  claimRecoveryRequest,
  finishRecoveryRun,
  getRecoveryRun,
  listRecoveryRuns,
  recoveryCheckpoint,
  releaseRecoveryRequest,
  requestedGuids,
  saveRecoveryCheckpoint,
  settleRecoveryRequest,
  startRecoveryRun,
} from '../../../../src/effects/db/recovery-store.js';
import { useTestDatabase } from '../../../helpers/test-database.js';

describe('recovery-store', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const fork = () => db().orm.em.fork();

  const request = (runId: string, guid = randomUUID()) => ({
    guid,
    hookDeliveryId: Math.floor(Math.random() * 1e9),
    hook: 'app',
    event: 'push',
    action: null,
    runId,
    outcome: 'requested' as const,
    failedStatusCode: 502,
  });

  it('starts a run, finishes it with its counts, and shows it with its requests, oldest first', async () => {
    const since = new Date('2026-11-26T12:00:00Z');
    const run = await startRecoveryRun(fork(), { trigger: 'manual', since });
    expect(run).to.deep.include({ trigger: 'manual', status: 'running' });
    const [first, second] = [request(run.id), request(run.id)];
    expect(await claimRecoveryRequest(fork(), first)).to.equal(true);
    expect(await claimRecoveryRequest(fork(), second)).to.equal(true);
    await finishRecoveryRun(fork(), run.id, { status: 'completed', scanned: 10, failed: 2, alreadyAccepted: 0, requested: 2, resumeAt: null, error: null });
    const detail = (await getRecoveryRun(fork(), run.id))!;
    expect(detail.run).to.deep.include({ status: 'completed', scanned: 10, failed: 2, requested: 2 });
    expect(detail.run.since.toISOString()).to.equal(since.toISOString());
    expect(detail.requests.map((r) => r.guid)).to.deep.equal([first.guid, second.guid]);
    expect(await getRecoveryRun(fork(), randomUUID())).to.equal(null);
  });

  it('lists runs newest first, each with its own requests, with the total', async () => {
    const older = await startRecoveryRun(fork(), { trigger: 'schedule', since: new Date() });
    const newer = await startRecoveryRun(fork(), { trigger: 'manual', since: new Date() });
    await claimRecoveryRequest(fork(), request(newer.id));
    const page = await listRecoveryRuns(fork(), { limit: 2, offset: 0 });
    expect(page.rows.map((row) => row.run.id)).to.deep.equal([newer.id, older.id]);
    expect(page.rows[0]!.requests).to.have.length(1);
    expect(page.rows[1]!.requests).to.have.length(0);
    expect(page.total).to.be.at.least(3);
  });

  it('claims a GUID once across runs: the second claim is refused; a released claim can be made again', async () => {
    const run = await startRecoveryRun(fork(), { trigger: 'schedule', since: new Date() });
    const guid = randomUUID();
    expect(await claimRecoveryRequest(fork(), request(run.id, guid))).to.equal(true);
    expect(await claimRecoveryRequest(fork(), request(run.id, guid))).to.equal(false);
    expect([...(await requestedGuids(fork(), [guid, randomUUID()]))]).to.deep.equal([guid]);
    await releaseRecoveryRequest(fork(), guid);
    expect((await requestedGuids(fork(), [guid])).size).to.equal(0);
    expect(await claimRecoveryRequest(fork(), request(run.id, guid))).to.equal(true);
  });

  it('records how a request ended', async () => {
    const run = await startRecoveryRun(fork(), { trigger: 'schedule', since: new Date() });
    const claimed = request(run.id);
    await claimRecoveryRequest(fork(), claimed);
    await settleRecoveryRequest(fork(), claimed.guid, { outcome: 'failed', error: 'GitHub answered 422' });
    expect((await getRecoveryRun(fork(), run.id))!.requests[0]).to.deep.include({ outcome: 'failed', error: 'GitHub answered 422' });
  });

  it('tells which GUIDs the service already accepted as deliveries', async () => {
    const accepted = randomUUID();
    await recordDeliveryReceived(fork(), { deliveryId: accepted, eventType: 'push' });
    expect([...(await acceptedDeliveryIds(fork(), [accepted, randomUUID()]))]).to.deep.equal([accepted]);
    expect((await acceptedDeliveryIds(fork(), [])).size).to.equal(0);
  });

  it('moves a hook\'s checkpoint forward only', async () => {
    const hook = `repo:octo/app:${Math.floor(Math.random() * 1e6)}`;
    expect(await recoveryCheckpoint(fork(), hook)).to.equal(undefined);
    await saveRecoveryCheckpoint(fork(), hook, 500);
    await saveRecoveryCheckpoint(fork(), hook, 300);
    expect(await recoveryCheckpoint(fork(), hook)).to.equal(500);
    await saveRecoveryCheckpoint(fork(), hook, 700);
    expect(await recoveryCheckpoint(fork(), hook)).to.equal(700);
  });
});
