import { expect } from 'chai';
import { createOrmConfig, ENTITIES } from '../../../../src/effects/db/orm-config.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

describe('createOrmConfig', () => {
  const url = 'postgresql://postgres@127.0.0.1:5432/orchestrator';

  it('lists every entity explicitly and leaves database creation to ensureDatabase', () => {
    const config = createOrmConfig({ url, logger: captureLogger().logger });
    expect(config.entities).to.equal(ENTITIES);
    expect(ENTITIES.map((entity) => entity.meta.className)).to.have.members(['WebhookDelivery', 'Task', 'TaskAttempt', 'Installation', 'PullRequestHead', 'RecoveryRun', 'RecoveryRequest', 'RecoveryCheckpoint']);
    expect(config).to.deep.include({ clientUrl: url, ensureDatabase: false, allowGlobalContext: false, debug: false });
  });

  it('fails fast when PostgreSQL is away instead of queueing for a minute', () => {
    const config = createOrmConfig({ url, logger: captureLogger().logger, poolMax: 4 });
    expect(config.pool).to.deep.equal({ min: 0, max: 4, acquireTimeoutMillis: 5000 });
    expect(createOrmConfig({ url, logger: captureLogger().logger }).pool?.max).to.equal(10);
  });

  it('runs the committed migrations beside it, each run all or nothing', () => {
    const { migrations } = createOrmConfig({ url, logger: captureLogger().logger });
    expect(migrations?.path).to.match(/src\/effects\/db\/migrations$/);
    expect(migrations).to.deep.include({ glob: '!(*.d).ts', snapshot: false, transactional: true, allOrNothing: true });
  });

  it('sends MikroORM’s log lines to the given logger at debug level', () => {
    const captured = captureLogger({ level: 'debug' });
    const config = createOrmConfig({ url, logger: captured.logger });
    config.logger!('select 1');
    expect(captured.records().map((line) => [line.msg, line.component, line.level])).to.deep.equal([['select 1', 'mikro-orm', 20]]);
  });
});
