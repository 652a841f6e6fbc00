import { expect } from 'chai';
import { probePostgres } from '../../../../src/effects/db/probe-postgres.js';
import { TEST_POSTGRES_SERVER, uniqueDatabaseName } from '../../../helpers/test-database.js';
import { freePort } from '../../../helpers/tcp.js';

describe('probePostgres', function () {
  this.timeout(10_000);

  it('resolves once the server accepts a connection, even when the database does not exist yet', async () => {
    await probePostgres(`${TEST_POSTGRES_SERVER}/${uniqueDatabaseName('never_created')}`);
  });

  it('rejects with the driver\'s error when nothing listens', async () => {
    const error = await probePostgres(`postgresql://postgres@127.0.0.1:${await freePort()}/orchestrator`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).to.equal('ECONNREFUSED');
  });
});
