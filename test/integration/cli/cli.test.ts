import { expect } from 'chai';
import { runCli } from '../../../src/cli.js';
import { examplePayload } from '../../fixtures/webhook-examples.js';
import { postWebhook } from '../../helpers/signed-webhook.js';
import { startTestService, TEST_SECRET, type TestService } from '../../helpers/start-test-service.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = 'cli-test-token-0123456789';

describe('runCli', function () {
  this.timeout(30_000);
  let service: TestService;
  before(async () => {
    service = await startTestService({ API_TOKEN: TOKEN });
  });
  after(async () => {
    await service.dispose();
  });

  const cli = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runCli(argv, { env: { ORCHESTRATOR_URL: service.url, API_TOKEN: TOKEN }, fetch, out: (line) => lines.push(line) });
    return { code, output: lines.join('\n') };
  };

  it('lists deliveries, shows one and replays it through its actor', async () => {
    const answer = await postWebhook(service.url, { event: 'issues', payload: examplePayload('issues', (p) => p.action === 'opened'), secret: TEST_SECRET });
    await waitFor(async () => (await cli('delivery', answer.deliveryId)).output.includes('"outcome": "ignored"'));
    const listed = await cli('deliveries', '--event', 'issues', '--limit', '5');
    expect(listed.code).to.equal(0);
    expect(JSON.parse(listed.output).deliveries.map((d: { delivery_id: string }) => d.delivery_id)).to.include(answer.deliveryId);
    const replayed = await cli('replay', answer.deliveryId);
    expect(replayed.code).to.equal(0);
    expect(JSON.parse(replayed.output)).to.include({ status: 'queued', delivery_id: answer.deliveryId });
  });

  it('lists dead letters and reports the API’s refusals with a non-zero exit', async () => {
    const letters = await cli('dead-letters');
    expect(letters.code).to.equal(0);
    expect(JSON.parse(letters.output)).to.include({ total: 0 });
    const unknown = await cli('redrive', '999999');
    expect(unknown.code).to.equal(1);
    expect(JSON.parse(unknown.output).error.code).to.equal('not_found');
    expect((await cli('retry', 'not-a-uuid')).code).to.equal(1);
  });

  it('prints the usage and exits 2 for an unknown command or a missing id', async () => {
    expect((await cli('frobnicate')).code).to.equal(2);
    expect((await cli('replay')).code).to.equal(2);
  });
});
