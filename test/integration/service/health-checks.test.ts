import { expect } from 'chai';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { createDependencyBreakers, type DependencyBreakers } from '../../../src/actors/dependency-breakers.js';
import { connectNats, type NatsLink } from '../../../src/bus/connect-nats.js';
import { createTopology } from '../../../src/contracts/topology.js';
import { AppError } from '../../../src/errors/app-error.js';
import { createHealthChecks, type HealthChecksOptions } from '../../../src/service/health-checks.js';
import { openScratchJetStream, type ScratchJetStream } from '../../helpers/scratch-jetstream.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../helpers/test-database.js';
import { NATS_URL } from '../../helpers/test-nats.js';

describe('createHealthChecks', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let scratch: ScratchJetStream;
  let nats: NatsLink;
  let jsm: JetStreamManager;
  let breakers: DependencyBreakers;
  before(async () => {
    [db, scratch, nats] = await Promise.all([createTestDatabase(), openScratchJetStream(), connectNats({ servers: [NATS_URL], logger: silentLogger() })]);
    jsm = await jetstreamManager(nats.nc);
  });
  beforeEach(() => {
    breakers = createDependencyBreakers({ failureThreshold: 1 });
  });
  afterEach(() => Object.values(breakers).forEach((breaker) => breaker.dispose()));
  after(async () => {
    await nats?.nc.close();
    await scratch?.close();
    await db?.close();
  });

  const options = (overrides: Partial<HealthChecksOptions> = {}): HealthChecksOptions => ({
    database: db.database,
    nats,
    jsm,
    streamNames: Object.values(scratch.topology.streams),
    breakers,
    github: { configured: true, lastCall: () => ({ at: new Date('2026-11-29T12:00:00Z'), outcome: 'ok' }) },
    codegen: { configured: false, lastCall: () => undefined },
    shutdownGate: { closing: false },
    ...overrides,
  });
  const run = async (health: ReturnType<typeof createHealthChecks>) =>
    Object.fromEntries(await Promise.all(health.checks.map(async (check) => [check.name, { critical: check.critical, ...(await check.check()) }])));

  it('checks PostgreSQL and NATS (critical) and GitHub and Codegen from their breakers and last calls', async () => {
    const results = await run(createHealthChecks(options()));
    expect(results.database).to.deep.equal({ critical: true, status: 'up', breaker: 'closed' });
    expect(results.nats).to.deep.include({ critical: true, status: 'up' });
    expect(results.nats.server).to.be.a('string');
    expect(results.github_api).to.deep.equal({ critical: false, status: 'up', breaker: 'closed', last_call: { at: '2026-11-29T12:00:00.000Z', outcome: 'ok' } });
    expect(results.codegen_api).to.deep.equal({ critical: false, status: 'not_configured', breaker: 'closed', last_call: null });
  });

  it('reports an open breaker of GitHub as down without calling GitHub', async () => {
    breakers.github.recordFailure(new AppError('dependency_failed', '502'));
    expect((await run(createHealthChecks(options()))).github_api.status).to.equal('down');
  });

  it('is ready with NATS connected, every stream present and PostgreSQL answering', async () => {
    expect(await createHealthChecks(options()).ready()).to.deep.equal({ ready: true, reasons: [] });
  });

  it('is not ready while shutting down, or with a stream missing, saying which', async () => {
    const missing = createTopology('no_such_namespace').streams.github;
    const health = createHealthChecks(options({ shutdownGate: { closing: true }, streamNames: [scratch.topology.streams.github, missing] }));
    expect(await health.ready()).to.deep.equal({ ready: false, reasons: ['shutting down', `stream ${missing} is missing`] });
  });

  it('reports PostgreSQL down, and not ready, when it does not answer', async () => {
    const gone = await createTestDatabase();
    await gone.close();
    const health = createHealthChecks(options({ database: gone.database }));
    expect((await run(health)).database.status).to.equal('down');
    expect(await health.ready()).to.deep.equal({ ready: false, reasons: ['PostgreSQL does not answer'] });
  });

  it('reports NATS down, and not ready without asking for streams, when the client is disconnected', async () => {
    const closed = await connectNats({ servers: [NATS_URL], logger: silentLogger() });
    await closed.nc.close();
    const health = createHealthChecks(options({ nats: closed }));
    expect((await run(health)).nats).to.deep.equal({ critical: true, status: 'down' });
    expect(await health.ready()).to.deep.equal({ ready: false, reasons: ['NATS is not connected'] });
  });
});
