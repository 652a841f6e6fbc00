import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect } from 'chai';
import pg from 'pg';
import { runDemo } from '../../../demo/demo-script.js';
import { TEST_POSTGRES_SERVER } from '../../helpers/test-database.js';
import { NATS_URL } from '../../helpers/test-nats.js';

describe('npm run demo (runDemo)', function () {
  this.timeout(90_000);

  it('tells what the service did with each event, with one Codegen run, and removes everything it made', async () => {
    const lines: string[] = [];
    const result = await runDemo({ out: (line) => lines.push(line) });
    const output = lines.join('\n');

    expect(output.match(/202 queued/g)).to.have.length(4);
    expect(output).to.match(/GitHub redelivers .* 202 duplicate/);
    expect(output).to.match(/pull_request\.opened #42\s+processed\s+tasks: pull_request_analysis/);
    expect(output).to.match(/check_run "unit tests" failed on \w{7}\s+processed\s+tasks: check_failure_analysis/);
    expect(output).to.match(/push to refs\/heads\/\w+\s+processed\s+tasks: push_analysis/);
    expect(output).to.match(/pull_request_analysis\s+succeeded\s+.*reviews are opt-in/);
    expect(output).to.match(/push_analysis\s+succeeded\s+Push of 1 commit/);
    expect(output).to.match(/codegen_trigger\s+succeeded\s+Codegen fix run \d+ started/);
    expect(output).to.match(/Codegen: 1 agent run for \w{7} \(two failures coalesced into one\), run \d+ COMPLETE/);
    expect(output).to.include('│ Failed checks: unit tests, lint');
    expect(output).to.match(/orchestrator_webhook_requests_total\{event="check_run",outcome="duplicate"\} \+1/);
    expect(output).to.match(/orchestrator_tasks_total\{task_type="codegen_trigger",status="succeeded"\} \+1/);
    expect(output).to.include('/docs');
    expect(output).to.include('npx orchestrator --help');
    expect(output).to.include(`Cleaned up: streams of namespace ${result.namespace} deleted, database ${result.databaseName} dropped`);

    const nc = await connect({ servers: NATS_URL });
    try {
      const streams: string[] = [];
      for await (const stream of (await jetstreamManager(nc)).streams.list()) streams.push(stream.config.name);
      expect(streams.filter((name) => name.includes(result.namespace))).to.deep.equal([]);
    } finally {
      await nc.close();
    }
    const client = new pg.Client({ connectionString: `${TEST_POSTGRES_SERVER}/postgres` });
    await client.connect();
    try {
      expect((await client.query('select 1 from pg_database where datname = $1', [result.databaseName])).rowCount).to.equal(0);
    } finally {
      await client.end();
    }
  });
});
