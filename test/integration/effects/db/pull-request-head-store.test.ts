import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { observePullRequestHead, type HeadObservation } from '../../../../src/effects/db/pull-request-head-store.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('observePullRequestHead', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  const fork = () => db.orm.em.fork();
  const at = (seconds: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, seconds));
  const pr = () => ({ repository: `acme/${randomUUID().slice(0, 8)}`, number: 42 });

  async function stored(key: { repository: string; number: number }) {
    const [row] = await fork().execute(
      `select "head_sha", "head_updated_at" from "pull_request_heads" where "repository" = ? and "number" = ?`,
      [key.repository, key.number],
    );
    return { headSha: row!.head_sha as string, headUpdatedAt: new Date(row!.head_updated_at as string) };
  }

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  it('calls the first head seen newer, and records it', async () => {
    const key = pr();
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(1) })).to.equal('newer');
    expect(await stored(key)).to.deep.equal({ headSha: 'a1', headUpdatedAt: at(1) });
  });

  it('moves forward to a later head', async () => {
    const key = pr();
    await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(1) });
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'b2', updatedAt: at(5) })).to.equal('newer');
    expect(await stored(key)).to.deep.equal({ headSha: 'b2', headUpdatedAt: at(5) });
  });

  it('calls an event about an older head stale, and never moves back', async () => {
    const key = pr();
    await observePullRequestHead(fork(), { ...key, headSha: 'b2', updatedAt: at(5) });
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(1) })).to.equal('stale');
    expect(await stored(key)).to.deep.equal({ headSha: 'b2', headUpdatedAt: at(5) });
  });

  it('calls another head with the same timestamp stale (the first answer stands)', async () => {
    const key = pr();
    await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(3) });
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'b2', updatedAt: at(3) })).to.equal('stale');
    expect((await stored(key)).headSha).to.equal('a1');
  });

  it('calls the recorded head same, older or newer event alike, and keeps the latest timestamp', async () => {
    const key = pr();
    await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(3) });
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(3) })).to.equal('same');
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(9) })).to.equal('same');
    expect(await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(2) })).to.equal('same');
    expect(await stored(key)).to.deep.equal({ headSha: 'a1', headUpdatedAt: at(9) });
  });

  it('keeps pull requests apart', async () => {
    const key = pr();
    await observePullRequestHead(fork(), { ...key, headSha: 'a1', updatedAt: at(5) });
    const sibling = { ...key, number: key.number + 1 };
    expect(await observePullRequestHead(fork(), { ...sibling, headSha: 'z9', updatedAt: at(1) })).to.equal('newer');
  });

  it('ends on the newest head whatever order concurrent events arrive in, with one newer per head that won', async () => {
    const key = pr();
    const events = Array.from({ length: 12 }, (_, i) => ({ ...key, headSha: `sha${i}`, updatedAt: at(i) }));
    const shuffled = [...events].sort(() => Math.random() - 0.5);
    const results: HeadObservation[] = await Promise.all(shuffled.map((event) => observePullRequestHead(fork(), event)));
    expect(await stored(key)).to.deep.equal({ headSha: 'sha11', headUpdatedAt: at(11) });
    expect(results).to.not.include('same');
    const newestIndex = shuffled.findIndex((event) => event.headSha === 'sha11');
    expect(results[newestIndex]).to.equal('newer');
  });
});
