import { expect } from 'chai';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../../helpers/test-database.js';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';
import { freePort } from '../../../helpers/tcp.js';

describe('orchestrator migrate', function () {
  this.timeout(60_000);
  const name = uniqueDatabaseName('orch_cli_migrate');
  after(() => dropTestDatabase(name));

  it('creates the database, applies every migration and says which; a second run has nothing to apply', async () => {
    const env = { DATABASE_URL: testDatabaseUrl(name) };
    const first = await runCliCapture(['migrate'], env);
    expect(first.code, first.err).to.equal(0);
    expect(first.out).to.match(new RegExp(`^postgresql://postgres@127.0.0.1:5432/${name}: applied Migration\\d+_initial$`, 'm'));
    const second = await runCliCapture(['--json', 'migrate'], env);
    expect(JSON.parse(second.out)).to.deep.equal({ database: `postgresql://postgres@127.0.0.1:5432/${name}`, applied: [] });
  });

  it('ends 4, the password hidden, when PostgreSQL cannot be reached', async () => {
    const { code, err } = await runCliCapture(['migrate'], { DATABASE_URL: `postgresql://orch:s3cret@127.0.0.1:${await freePort()}/x` });
    expect(code).to.equal(4);
    expect(err).to.match(/^orchestrator: cannot reach PostgreSQL at postgresql:\/\/orch:\*\*\*@127\.0\.0\.1:\d+\/x \(connect ECONNREFUSED/);
    expect(err).to.not.include('s3cret');
  });
});
