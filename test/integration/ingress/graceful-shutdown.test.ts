import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from '@nats-io/transport-node';
import { signedWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET } from '../../helpers/start-test-service.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { streamState } from '../../helpers/stream-reader.js';

/** Sends a signed webhook's headers and half its body, and the rest when `finish()` is called. */
function slowWebhook(baseUrl: string, event: string) {
  const { headers, body } = signedWebhook({ event, payload: { zen: 'slow', padding: 'p'.repeat(4096) }, secret: TEST_SECRET });
  const url = new URL('/api/v1/webhooks/github', baseUrl);
  const bytes = Buffer.from(body);
  let finish!: () => void;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': bytes.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(bytes.subarray(0, bytes.length >> 1));
    finish = () => req.end(bytes.subarray(bytes.length >> 1));
  });
  return { answer, finish: () => finish() };
}

describe('graceful shutdown', function () {
  this.timeout(30_000);

  it('finishes requests in flight, with their publishes, before closing; new connections are refused', async () => {
    const service = await startTestService({ ACTORS_ENABLED: 'false' });
    try {
      const inFlight = [slowWebhook(service.url, 'ping'), slowWebhook(service.url, 'push')];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closing = service.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await fetch(`${service.url}/health/live`).then(
        () => false,
        () => true,
      );
      expect(refused, 'a new connection during shutdown').to.equal(true);
      for (const request of inFlight) request.finish();
      const answers = await Promise.all(inFlight.map((request) => request.answer));
      expect(answers.map((answer) => answer.status)).to.deep.equal([202, 202]);
      await closing;
      expect(service.nats.nc.isClosed()).to.equal(true);
      // The publishes finished before NATS was drained: both messages are stored.
      const nc = await connect({ servers: NATS_URL });
      try {
        expect((await streamState(nc, service.topology.streams.github)).messages).to.equal(2);
      } finally {
        await nc.close();
      }
    } finally {
      await deleteNamespace(service.namespace);
      await dropTestDatabase(service.databaseName);
    }
  });

  it('exits 0 within 10 s of SIGTERM with a request in flight, which still gets its 202', async () => {
    const namespace = uniqueNamespace();
    const databaseName = uniqueDatabaseName();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        GITHUB_WEBHOOK_SECRET: TEST_SECRET,
        PORT: '0',
        HOST: '127.0.0.1',
        NATS_NAMESPACE: namespace,
        DATABASE_URL: testDatabaseUrl(databaseName),
        ACTORS_ENABLED: 'false',
        OTEL_SDK_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"url":"(http:[^"]+)"[^\n]*"msg":"listening"/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`service exited early with ${code}: ${out}`)));
      });
      const request = slowWebhook(url, 'ping');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      request.finish();
      expect((await request.answer).status).to.equal(202);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).to.equal(0);
      expect(Date.now() - signalledAt).to.be.lessThan(10_000);
    } finally {
      child.kill('SIGKILL');
      await deleteNamespace(namespace);
      await dropTestDatabase(databaseName);
    }
  });
});
