import { expect } from 'chai';
import { createRequire } from 'node:module';
import { runCliCapture } from '../../helpers/run-cli-capture.js';
import { freePort } from '../../helpers/tcp.js';

describe('runCli', () => {
  it('lists every command in --help with the exit codes, and ends 0', async () => {
    const { code, out } = await runCliCapture(['--help']);
    expect(code).to.equal(0);
    for (const line of ['serve', 'migrate', 'streams diff', 'streams apply', 'tasks list', 'tasks retry <id>', 'deliveries replay <delivery_id>', 'dlq redrive <id>', 'recover', 'send [event]']) {
      expect(out, line).to.include(`  ${line}`);
    }
    expect(out).to.include('Exit codes: 0 ok, 1 failed or refused, 2 usage, 3 not found, 4 service, NATS or PostgreSQL unreachable.');
  });

  it('prints the package version', async () => {
    const { code, out } = await runCliCapture(['--version']);
    expect(code).to.equal(0);
    expect(out.trim()).to.equal((createRequire(import.meta.url)('../../../package.json') as { version: string }).version);
  });

  it('ends 2 on an unknown command or option, and on a bad configuration value, saying why', async () => {
    expect((await runCliCapture(['launch'])).code).to.equal(2);
    expect((await runCliCapture(['tasks', 'list', '--colour'])).code).to.equal(2);
    const badConfig = await runCliCapture(['tasks', 'list'], { NATS_NAMESPACE: 'bad namespace' });
    expect(badConfig.code).to.equal(2);
    expect(badConfig.err).to.match(/^orchestrator: invalid configuration: NATS_NAMESPACE/);
  });

  it('ends with the exit code of the command\'s failure: 4 when the service does not answer', async () => {
    const { code, err } = await runCliCapture(['tasks', 'list', '--url', `http://127.0.0.1:${await freePort()}`]);
    expect(code).to.equal(4);
    expect(err).to.match(/^orchestrator: cannot reach the service at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is it running\?/);
  });
});
