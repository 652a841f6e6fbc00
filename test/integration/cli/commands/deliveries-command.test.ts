import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { recordDeliveryReceived, setDeliveryOutcome } from '../../../../src/effects/db/delivery-store.js';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';
import { API_TOKEN, useApiHarness } from '../../api/management-api-harness.js';

describe('orchestrator deliveries', function () {
  this.timeout(30_000);
  const repository = `octo/${randomUUID().slice(0, 8)}`;
  const ids = { opened: randomUUID(), push: randomUUID() };
  const harness = useApiHarness(async (db) => {
    const fork = () => db.orm.em.fork();
    await recordDeliveryReceived(fork(), { deliveryId: ids.opened, eventType: 'pull_request', action: 'opened', repository, streamSeq: 4, receivedAt: new Date('2026-11-29T12:00:00Z') });
    await setDeliveryOutcome(fork(), ids.opened, 'processed');
    await recordDeliveryReceived(fork(), { deliveryId: ids.push, eventType: 'push', repository, receivedAt: new Date('2026-11-29T12:01:00Z') });
    await setDeliveryOutcome(fork(), ids.push, 'failed', 'GitHub did not answer');
  });
  const cli = (...argv: string[]) => runCliCapture([...argv, '--url', harness.api().url], { API_TOKEN });

  it('lists deliveries newest first as a table, event and action together, with the filters passed on', async () => {
    const { code, out } = await cli('deliveries', 'list', '--repository', repository);
    expect(code).to.equal(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^DELIVERY\s+EVENT\s+REPOSITORY\s+OUTCOME\s+RECEIVED\s+ERROR$/);
    expect(lines[1]).to.match(new RegExp(`^${ids.push}\\s+push\\s+${repository}\\s+failed\\s+2026-11-29T12:01:00.000Z\\s+GitHub did not answer$`));
    expect(lines[2]).to.match(new RegExp(`^${ids.opened}\\s+pull_request.opened\\s+${repository}\\s+processed\\s+`));
    expect(lines[3]).to.equal('2 of 2 deliveries');
    const failed = await cli('deliveries', 'list', '--repository', repository, '--outcome', 'failed');
    expect(failed.out.trimEnd().split('\n').at(-1)).to.equal('1 of 1 delivery');
  });

  it('shows one delivery, and ends 3 for an unknown one', async () => {
    const shown = await cli('deliveries', 'show', ids.opened);
    expect(shown.out).to.match(new RegExp(`^delivery_id\\s+${ids.opened}$`, 'm'));
    expect(shown.out).to.match(/^outcome\s+processed$/m);
    expect((await cli('deliveries', 'show', 'no-such-delivery')).code).to.equal(3);
  });

  it('replays a delivery through the API and says where it went', async () => {
    harness.api().ports.replayDelivery.resolves({ stream: 'GITHUB', seq: 99 });
    const { code, out } = await cli('deliveries', 'replay', ids.opened);
    expect(code).to.equal(0);
    expect(out).to.equal(`delivery ${ids.opened} queued again (GITHUB #99)\n`);
  });
});
