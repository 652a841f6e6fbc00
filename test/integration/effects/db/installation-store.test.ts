import { expect } from 'chai';
import {
  changeInstallationRepositories,
  getInstallation,
  markInstallationDeleted,
  setInstallationStatus,
  upsertInstallation,
} from '../../../../src/effects/db/installation-store.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/test-database.js';

describe('installation-store', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let nextId = 9_000_000_001;
  const fork = () => db.orm.em.fork();

  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  it('records an installation from its created event', async () => {
    const id = nextId++;
    const installation = await upsertInstallation(fork(), {
      id,
      accountLogin: 'acme',
      accountType: 'Organization',
      targetType: 'Organization',
      repositorySelection: 'selected',
      repositories: ['acme/b', 'acme/a', 'acme/a'],
    });
    expect(installation).to.include({
      id,
      accountLogin: 'acme',
      accountType: 'Organization',
      repositorySelection: 'selected',
      status: 'active',
      deletedAt: null,
    });
    expect(installation.repositories).to.deep.equal(['acme/a', 'acme/b']);
    expect((await getInstallation(fork(), id))!.createdAt).to.be.instanceOf(Date);
  });

  it('updates it from a later event, keeping what the event does not say', async () => {
    const id = nextId++;
    await upsertInstallation(fork(), { id, accountLogin: 'acme', accountType: 'User', repositories: ['acme/a'] });
    const updated = await upsertInstallation(fork(), { id, accountLogin: 'acme-renamed' });
    expect(updated).to.include({ accountLogin: 'acme-renamed', accountType: 'User', status: 'active' });
    expect(updated.repositories).to.deep.equal(['acme/a']);
  });

  it('keeps the record when the installation is deleted, and revives it when it comes back', async () => {
    const id = nextId++;
    await upsertInstallation(fork(), { id, accountLogin: 'acme' });
    const deleted = await markInstallationDeleted(fork(), id);
    expect(deleted!.status).to.equal('deleted');
    expect(deleted!.deletedAt).to.be.instanceOf(Date);
    expect((await getInstallation(fork(), id))!.status).to.equal('deleted');
    const revived = await upsertInstallation(fork(), { id, accountLogin: 'acme' });
    expect(revived).to.include({ status: 'active', deletedAt: null });
  });

  it('records a deletion of an installation it never saw as a deleted record', async () => {
    const id = nextId++;
    expect(await markInstallationDeleted(fork(), id)).to.equal(null);
    const tombstone = await upsertInstallation(fork(), { id, accountLogin: 'ghost', status: 'deleted' });
    expect(tombstone.status).to.equal('deleted');
    expect(tombstone.deletedAt).to.be.instanceOf(Date);
  });

  it('suspends and unsuspends', async () => {
    const id = nextId++;
    await upsertInstallation(fork(), { id, accountLogin: 'acme' });
    expect((await setInstallationStatus(fork(), id, 'suspended'))!.status).to.equal('suspended');
    expect((await setInstallationStatus(fork(), id, 'active'))!.status).to.equal('active');
    expect(await setInstallationStatus(fork(), nextId++, 'suspended')).to.equal(null);
  });

  it('applies repository additions and removals, concurrent ones included, without losing any', async () => {
    const id = nextId++;
    await upsertInstallation(fork(), { id, accountLogin: 'acme', repositories: ['acme/keep', 'acme/drop'] });
    await Promise.all([
      changeInstallationRepositories(fork(), id, { added: ['acme/one'] }),
      changeInstallationRepositories(fork(), id, { added: ['acme/two'], removed: ['acme/drop'] }),
      changeInstallationRepositories(fork(), id, { added: ['acme/three', 'acme/keep'], repositorySelection: 'selected' }),
    ]);
    const installation = await getInstallation(fork(), id);
    expect(installation!.repositories).to.deep.equal(['acme/keep', 'acme/one', 'acme/three', 'acme/two']);
    expect(installation!.repositorySelection).to.equal('selected');
    const emptied = await changeInstallationRepositories(fork(), id, {
      removed: ['acme/keep', 'acme/one', 'acme/three', 'acme/two'],
    });
    expect(emptied!.repositories).to.deep.equal([]);
    expect(await changeInstallationRepositories(fork(), nextId++, { added: ['x/y'] })).to.equal(null);
  });
});
