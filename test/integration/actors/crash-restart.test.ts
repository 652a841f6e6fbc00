import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { MikroORM } from '@mikro-orm/postgresql';
import { createTopology } from '../../../src/contracts/topology.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { publishRawDelivery } from '../../helpers/publish-raw-delivery.js';
import { startServiceProcess, type ServiceProcess } from '../../helpers/service-process.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

const MESSAGES = 300;

describe('a crash mid-batch', function () {
  this.timeout(150_000);
  const namespace = uniqueNamespace();
  const databaseName = uniqueDatabaseName();
  const env = { GITHUB_WEBHOOK_SECRET: TEST_SECRET, NATS_NAMESPACE: namespace, DATABASE_URL: testDatabaseUrl(databaseName) };
  let nc: NatsConnection;
  let orm: MikroORM | undefined;
  let service: ServiceProcess | undefined;

  before(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  after(async () => {
    await service?.kill();
    await orm?.close(true);
    await nc.close();
    await deleteNamespace(namespace);
    await dropTestDatabase(databaseName);
  });

  it('ends, after a restart, with every message processed once in effect', async () => {
    service = await startServiceProcess(env);
    orm = await MikroORM.init({ clientUrl: testDatabaseUrl(databaseName), entities: [], discovery: { warnWhenNoEntities: false }, allowGlobalContext: true });
    const count = async (sql: string) => Number((await orm!.em.getConnection().execute(sql))[0]!.n);
    const settled = () => count(`select count(*) as n from webhook_deliveries where outcome <> 'received'`);

    const topology = createTopology(namespace);
    const deliveries = Array.from({ length: MESSAGES }, () => randomUUID());
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    for (const deliveryId of deliveries) await publishRawDelivery(nc, topology, { deliveryId, event: 'pull_request', payload });

    // Kill the process while it is part-way through the backlog.
    await waitFor(async () => (await settled()) >= 20, { timeoutMs: 60_000, message: 'processing to start' });
    await service.kill();
    const before = await settled();
    expect(before, 'the crash happened mid-batch').to.be.lessThan(MESSAGES);

    service = await startServiceProcess(env);
    await waitFor(async () => (await settled()) > before, { timeoutMs: 60_000, message: 'processing to resume' });
    await waitFor(async () => (await settled()) === MESSAGES, { timeoutMs: 90_000, intervalMs: 250, message: 'every delivery settled' });

    expect(await count(`select count(*) as n from webhook_deliveries`)).to.equal(MESSAGES);
    expect(await count(`select count(*) as n from tasks where task_type = 'pull_request_analysis'`)).to.equal(MESSAGES);
    expect(await count(`select count(distinct delivery_id) as n from tasks where task_type = 'pull_request_analysis'`)).to.equal(MESSAGES);
  });
});
