import { expect } from 'chai';
import { connectDependencies } from '../../../src/startup/connect-dependencies.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { createOwnNatsServer, type OwnNatsServer } from '../../helpers/own-nats-server.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { NATS_URL } from '../../helpers/test-nats.js';

describe('connectDependencies', function () {
  this.timeout(60_000);
  const names: string[] = [];
  let nats: OwnNatsServer | undefined;
  const databaseUrl = () => {
    const name = uniqueDatabaseName('orch_connect');
    names.push(name);
    return testDatabaseUrl(name);
  };
  after(async () => {
    await nats?.dispose();
    for (const name of names) await dropTestDatabase(name);
  });

  it('reaches NATS and PostgreSQL, creates and migrates the database, and reports each dependency reached', async () => {
    const states: Array<[string, string | undefined]> = [];
    const { logger } = captureLogger();
    const { nats: link, database } = await connectDependencies({
      nats: { servers: [NATS_URL] },
      database: { url: databaseUrl(), poolMax: 2 },
      logger,
      onState: (dependency, problem) => states.push([dependency, problem]),
    });
    try {
      expect(link.connected()).to.equal(true);
      expect(await database.ping()).to.equal(true);
      expect(database.applied.length).to.be.greaterThan(0);
      expect(states.slice(0, 2)).to.deep.equal([
        ['nats', 'connecting to NATS at nats://127.0.0.1:4222'],
        ['database', `connecting to PostgreSQL at ${testDatabaseUrl(names[0]!)}`],
      ]);
      expect(states.filter(([, problem]) => problem === undefined).map(([dependency]) => dependency).sort()).to.deep.equal(['database', 'nats']);
    } finally {
      await link.nc.close();
      await database.close();
    }
  });

  it('keeps trying a NATS that is not there yet, saying what is missing, and goes on once it answers', async () => {
    nats = await createOwnNatsServer();
    const states: Array<[string, string | undefined]> = [];
    const { logger, records } = captureLogger();
    const connecting = connectDependencies({
      nats: { servers: [nats.url] },
      database: { url: databaseUrl(), poolMax: 2 },
      logger,
      onState: (dependency, problem) => states.push([dependency, problem]),
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(states.some(([dependency, problem]) => dependency === 'nats' && problem?.startsWith(`NATS is not reachable at ${nats!.url}`))).to.equal(true);
    await nats.start();
    const { nats: link, database } = await connecting;
    try {
      expect(link.connected()).to.equal(true);
      expect(states.at(-1)?.[1] === undefined).to.equal(true);
      expect(records().some((record) => record.msg === `NATS reached at ${nats!.url}`)).to.equal(true);
    } finally {
      await link.nc.close();
      await database.close();
    }
  });
});
