import { spawn } from 'node:child_process';
import { expect } from 'chai';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase } from '../../../../src/effects/db/ensure-database.js';
import { openDatabase } from '../../../../src/effects/db/open-database.js';
import { createOrmConfig } from '../../../../src/effects/db/orm-config.js';
import { dropTestDatabase, silentLogger, testDatabaseUrl, uniqueDatabaseName } from '../../../helpers/test-database.js';

async function tablesOf(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    return result.rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: testDatabaseUrl('postgres') });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

function runMigrateCli(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/orchestrator.ts', 'migrate'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('openDatabase: create, migrate under a lock, ping', function () {
  this.timeout(60_000);
  const created: string[] = [];
  const fresh = (): string => {
    const name = uniqueDatabaseName();
    created.push(name);
    return name;
  };

  after(async () => {
    for (const name of created) await dropTestDatabase(name);
  });

  it('creates a missing database and migrates it from empty to the schema the entities describe', async () => {
    const name = fresh();
    expect(await databaseExists(name)).to.equal(false);
    const database = await openDatabase({ url: testDatabaseUrl(name), logger: silentLogger() });
    try {
      expect(database.applied).to.have.length.greaterThan(0);
      expect(await tablesOf(testDatabaseUrl(name))).to.include.members([
        'installations',
        'mikro_orm_migrations',
        'pull_request_heads',
        'task_attempts',
        'tasks',
        'webhook_deliveries',
      ]);
      const drift = await database.orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(drift.trim(), 'schema difference between migrations and entities').to.equal('');
    } finally {
      await database.close();
    }
  });

  it('applies nothing the second time', async () => {
    const name = fresh();
    const url = testDatabaseUrl(name);
    const first = await openDatabase({ url, logger: silentLogger() });
    await first.close();
    const second = await openDatabase({ url, logger: silentLogger() });
    try {
      expect(first.applied).to.not.be.empty;
      expect(second.applied).to.deep.equal([]);
    } finally {
      await second.close();
    }
  });

  it('lets instances starting together migrate once between them', async () => {
    const name = fresh();
    const url = testDatabaseUrl(name);
    const opened = await Promise.all([1, 2, 3].map(() => openDatabase({ url, logger: silentLogger() })));
    try {
      const applied = opened.flatMap((database) => database.applied);
      expect(applied).to.deep.equal(opened.find((database) => database.applied.length > 0)!.applied);
      const executed = await opened[0]!.orm.getMigrator().getExecutedMigrations();
      expect(executed.map((row) => row.name)).to.deep.equal(applied);
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
  });

  it('tolerates a concurrent creator of the database', async () => {
    const name = fresh();
    const url = testDatabaseUrl(name);
    const results = await Promise.all([1, 2, 3, 4].map(() => ensureDatabase(url, silentLogger())));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await databaseExists(name)).to.equal(true);
    expect(await ensureDatabase(url, silentLogger())).to.equal(false);
  });

  it('reports its ping honestly', async () => {
    const name = fresh();
    const database = await openDatabase({ url: testDatabaseUrl(name), logger: silentLogger() });
    expect(await database.ping()).to.equal(true);
    await database.close();
    expect(await database.ping(500)).to.equal(false);
  });

  it('builds an ORM config with the explicit entity list and committed TS migrations under tsx', async () => {
    const name = fresh();
    const url = testDatabaseUrl(name);
    await ensureDatabase(url, silentLogger());
    const orm = await MikroORM.init(createOrmConfig({ url, logger: silentLogger() }));
    try {
      const entityNames = Object.keys(orm.getMetadata().getAll()).sort();
      expect(entityNames).to.deep.equal([
        'Installation',
        'PullRequestHead',
        'RecoveryCheckpoint',
        'RecoveryRequest',
        'RecoveryRun',
        'Task',
        'TaskAttempt',
        'WebhookDelivery',
      ]);
      const pending = await orm.getMigrator().getPendingMigrations();
      expect(pending.map((migration) => migration.path)).to.satisfy((paths: string[]) =>
        paths.every((path) => path.endsWith('.ts') && path.includes('src/effects/db/migrations')),
      );
      expect(pending).to.not.be.empty;
    } finally {
      await orm.close(true);
    }
  });

  it('migrates from the command line, and a second run changes nothing', async () => {
    const name = fresh();
    const url = testDatabaseUrl(name);
    const first = await runMigrateCli(url);
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/applied Migration\d+_initial/);
    const second = await runMigrateCli(url);
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.include('nothing to apply');
    expect(await tablesOf(url)).to.include.members(['tasks', 'recovery_runs', 'recovery_requests', 'recovery_checkpoints']);
  });
});
