import { expect } from 'chai';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';
import { deleteNamespace, NATS_URL, uniqueNamespace } from '../../../helpers/test-nats.js';
import { freePort } from '../../../helpers/tcp.js';

describe('orchestrator streams', function () {
  this.timeout(30_000);
  const namespace = uniqueNamespace();
  const env = { NATS_URL, NATS_NAMESPACE: namespace };
  after(() => deleteNamespace(namespace));

  it('diff reports every stream and consumer missing on a fresh namespace, changing nothing (exit 1)', async () => {
    const { code, out, err } = await runCliCapture(['streams', 'diff'], env);
    expect(code).to.equal(1);
    expect(out).to.match(new RegExp(`^stream\\s+${namespace}_GITHUB\\s+missing`, 'm'));
    expect(out).to.match(new RegExp(`^consumer\\s+${namespace}_GITHUB/actor_push\\s+missing`, 'm'));
    expect(err).to.match(/^orchestrator: the server differs from streams\/ in \d+ place\(s\)/);
    expect((await runCliCapture(['streams', 'diff'], env)).code).to.equal(1);
  });

  it('apply creates them, a second apply changes nothing, and diff then ends 0', async () => {
    const applied = await runCliCapture(['streams', 'apply'], env);
    expect(applied.code).to.equal(0);
    expect(applied.out).to.match(new RegExp(`^created    ${namespace}_TASKS$`, 'm'));
    expect(applied.out).to.match(/^\d+ created, 0 corrected, 0 unchanged$/m);
    expect((await runCliCapture(['streams', 'apply'], env)).out).to.match(/^0 created, 0 corrected, \d+ unchanged$/m);
    const diff = await runCliCapture(['--json', 'streams', 'diff'], env);
    expect(diff.code).to.equal(0);
    expect(JSON.parse(diff.out).in_sync).to.equal(true);
  });

  it('ends 4 when NATS cannot be reached', async () => {
    expect((await runCliCapture(['streams', 'diff'], { NATS_URL: `nats://127.0.0.1:${await freePort()}`, NATS_NAMESPACE: namespace })).code).to.equal(4);
  });
});
