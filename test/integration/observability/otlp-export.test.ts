import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { expect } from 'chai';
import { failedCheckRunPayload } from '../../helpers/check-run-delivery.js';
import { mockFailedChecks } from '../../helpers/github-check-mocks.js';
import { startGithubGraphqlDouble, type GithubGraphqlDouble } from '../../helpers/github-graphql-double.js';
import { OTLP_SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver.js';
import { startServiceProcess, type ServiceProcess } from '../../helpers/service-process.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { TEST_SECRET } from '../../helpers/start-test-service.js';
import { storedMessage } from '../../helpers/stream-reader.js';
import { dropTestDatabase, testDatabaseUrl, uniqueDatabaseName } from '../../helpers/test-database.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../helpers/test-nats.js';
import { waitFor } from '../../helpers/wait-for.js';

const sha = () => randomBytes(20).toString('hex');
const ZERO_TRACE = '0'.repeat(32);

/** The service as production runs it (instrumentation.ts loaded first), on a namespace and database of its own. */
async function startInstrumentedService(env: Record<string, string>) {
  const namespace = uniqueNamespace('otel');
  const databaseName = uniqueDatabaseName();
  const dir = mkdtempSync(path.join(tmpdir(), 'otlp-export-'));
  // Analyses start half a second after their event instead of the default 15 s coalescing window.
  const rulesFile = path.join(dir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify({ defaults: { coalesceWindowSeconds: 0.5 } }));
  const service = await startServiceProcess(
    {
      GITHUB_WEBHOOK_SECRET: TEST_SECRET,
      NATS_URL,
      NATS_NAMESPACE: namespace,
      DATABASE_URL: testDatabaseUrl(databaseName),
      RULES_FILE: rulesFile,
      LOG_LEVEL: 'debug',
      ...env,
    },
    { instrumented: true },
  );
  return {
    service,
    namespace,
    async dispose() {
      await service.kill();
      await deleteNamespace(namespace);
      await dropTestDatabase(databaseName);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON log lines the process wrote to stdout. */
function logLines(service: ServiceProcess): Array<Record<string, unknown>> {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  describe(`OTLP trace export over ${protocol} (a real receiver on loopback)`, function () {
    this.timeout(120_000);
    let receiver: OtlpReceiver;
    let github: GithubGraphqlDouble;
    let stack: Awaited<ReturnType<typeof startInstrumentedService>>;

    before(async () => {
      receiver = await startOtlpReceiver();
      github = await startGithubGraphqlDouble();
      stack = await startInstrumentedService({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        // Export each batch promptly; the default waits 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        GITHUB_GRAPHQL_URL: github.url,
        GITHUB_TOKEN: 'ghp_otlpExportTestToken00000000000000000000',
        // Codegen stays unconfigured: the fix run's task fails at once, so the trace ends.
      });
    });
    after(async () => {
      await stack?.dispose();
      await github?.close();
      await receiver?.close();
    });

    it('exports one trace per delivery: HTTP, PRODUCER and CONSUMER spans, database and outbound calls; logs carry its id; start-up makes no trace', async () => {
      const headSha = sha();
      mockFailedChecks(github, {
        headSha,
        prNumber: 7,
        runs: [{ nodeId: 'CR_lint', name: 'lint', annotations: [{ path: 'src/a.ts', line: 3, message: 'no-unused-vars' }] }],
      });
      const answer = await postWebhook(stack.service.url, {
        event: 'check_run',
        payload: failedCheckRunPayload({ nodeId: 'CR_lint', name: 'lint', headSha, prNumber: 7 }),
        secret: TEST_SECRET,
      });
      expect(answer.status).to.equal(202);

      // The request's span names the delivery; its trace is the delivery's trace.
      const traceId = await waitFor(
        () => receiver.spans.find((span) => span.attributes['github.delivery'] === answer.deliveryId)?.traceId,
        { timeoutMs: 30_000, message: 'the webhook request span' },
      );
      const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
      const isAnalysisConsumer = (span: ReceivedSpan) => span.kind === OTLP_SPAN_KIND.consumer && span.attributes['orchestrator.actor'] === 'analysis';
      const githubCall = (span: ReceivedSpan) => span.kind === OTLP_SPAN_KIND.client && String(span.attributes['url.full'] ?? '').startsWith(github.url);
      // Spans are exported as they end: wait until every span's parent has ended too.
      const complete = (found: ReceivedSpan[]) => {
        const ids = new Set(found.map((span) => span.spanId));
        return found.every((span) => span.parentSpanId === '' || ids.has(span.parentSpanId));
      };
      const spans = await waitFor(() => {
        const found = inTrace();
        return found.some(isAnalysisConsumer) && found.some(githubCall) && complete(found) ? found : undefined;
      }, { timeoutMs: 60_000, message: 'the analysis of the delivery, with its GitHub call, in the same complete trace' });

      expect(receiver.contentTypes).to.not.be.empty;
      expect(new Set(receiver.contentTypes)).to.deep.equal(new Set([protocol === 'http/protobuf' ? 'application/x-protobuf' : 'application/json']));
      expect(spans.every((span) => span.service === 'webhook-orchestrator')).to.equal(true);

      // One root: the HTTP server span of the webhook request.
      const roots = spans.filter((span) => span.parentSpanId === '');
      expect(roots.map((span) => [span.kind, span.name])).to.deep.equal([[OTLP_SPAN_KIND.server, 'POST']]);

      // publish (ingress) → process (check_run actor) → publish (analysis task) → process (analysis actor), each consumer the child of its producer, and linked to it.
      // Span names carry the subject's template: its body-digest token is written {digest}.
      const githubSubject = `${stack.namespace}.github.check_run.completed.{digest}`;
      const producers = spans.filter((span) => span.kind === OTLP_SPAN_KIND.producer);
      const consumers = spans.filter((span) => span.kind === OTLP_SPAN_KIND.consumer);
      expect(producers.map((span) => span.name)).to.include(`publish ${githubSubject}`);
      expect(producers.some((span) => span.name.startsWith(`publish ${stack.namespace}.tasks.analysis.`))).to.equal(true);
      expect(consumers.map((span) => span.attributes['orchestrator.actor'])).to.include.members(['check_run', 'analysis']);
      for (const consumer of consumers) {
        const producer = producers.find((span) => span.spanId === consumer.parentSpanId);
        expect(producer, `${consumer.name} is parented on a PRODUCER span`).to.not.equal(undefined);
        expect(consumer.name).to.equal(producer!.name.replace(/^publish /, 'process '));
        expect(consumer.links).to.deep.equal([{ traceId, spanId: producer!.spanId }]);
        expect(consumer.attributes).to.include({ 'messaging.system': 'nats', 'messaging.operation.type': 'process' });
      }
      for (const producer of producers) expect(producer.attributes).to.include({ 'messaging.system': 'nats', 'messaging.operation.type': 'send' });

      // PostgreSQL queries and the GitHub call are spans of this trace.
      const database = spans.filter((span) => span.kind === OTLP_SPAN_KIND.client && (span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql'));
      expect(database.length, 'PostgreSQL spans').to.be.greaterThan(0);
      expect(spans.filter(githubCall).length, 'GitHub call spans').to.be.greaterThan(0);

      // Every log line about this delivery carries its trace id.
      const lines = logLines(stack.service).filter((line) => line.delivery_id === answer.deliveryId);
      expect(lines.length).to.be.greaterThan(1);
      for (const line of lines) expect(line.trace_id, String(line.msg)).to.equal(traceId);

      // Start-up (NATS, streams, migrations) and everything else exported so far belong to no other trace.
      const otherTraces = new Set(receiver.spans.filter((span) => span.traceId !== traceId).map((span) => `${span.name} (${span.traceId})`));
      expect([...otherTraces]).to.deep.equal([]);
    });
  });
}

describe('trace context without an OTLP exporter', function () {
  this.timeout(60_000);
  let stack: Awaited<ReturnType<typeof startInstrumentedService>>;
  before(async () => {
    stack = await startInstrumentedService({});
  });
  after(async () => {
    await stack?.dispose();
  });

  it('is still generated and propagated: real trace ids in the message headers and every log line of the delivery', async () => {
    const answer = await postWebhook(stack.service.url, {
      event: 'check_run',
      payload: failedCheckRunPayload({ nodeId: 'CR_unit', name: 'unit', headSha: sha(), prNumber: 8 }),
      secret: TEST_SECRET,
    });
    expect(answer.status).to.equal(202);
    const nc = await connect({ servers: NATS_URL });
    let traceparent: string | undefined;
    try {
      const stored = await storedMessage(nc, `${stack.namespace}_GITHUB`, answer.body!.result.seq as number);
      traceparent = stored.header.get('traceparent');
    } finally {
      await nc.close();
    }
    // Flags 00: with nothing to export the spans are not recorded (not sampled), but the ids are real.
    const [, traceId] = /^00-([0-9a-f]{32})-[0-9a-f]{16}-00$/.exec(traceparent ?? '') ?? [];
    expect(traceId, `traceparent ${traceparent}`).to.be.a('string');
    expect(traceId).to.not.equal(ZERO_TRACE);
    const lines = await waitFor(() => {
      const found = logLines(stack.service).filter((line) => line.delivery_id === answer.deliveryId);
      return found.some((line) => line.actor === 'check_run' && line.msg === 'message settled') ? found : undefined;
    }, { timeoutMs: 30_000, message: 'the check_run actor to settle the delivery' });
    for (const line of lines) expect(line.trace_id, String(line.msg)).to.equal(traceId);
  });
});

describe('an OTLP protocol the service cannot export in', function () {
  this.timeout(60_000);

  it('refuses to start with a clear message and EX_CONFIG, before connecting to anything', async () => {
    const refused = await startServiceProcess(
      { GITHUB_WEBHOOK_SECRET: TEST_SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { instrumented: true },
    ).then(
      async (service) => {
        await service.kill();
        return undefined;
      },
      (error: Error) => error.message,
    );
    expect(refused).to.contain('service exited with 78 before listening');
    expect(refused).to.contain('OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; use http/protobuf or http/json');
    expect(refused).to.not.contain('connected to NATS');
  });
});
