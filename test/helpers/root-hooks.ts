import { spawnSync } from 'node:child_process';
import { closeSharedChromium } from './headless-chromium.js';
import { answers } from './tcp.js';

/**
 * Before any test: NATS and PostgreSQL must answer. If one does not (a run outside .ci/run),
 * start the machine's own service the same way CI does; start nothing that is already there.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    if ((await answers(4222)) && (await answers(5432))) return;
    const result = spawnSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('NATS and PostgreSQL are required for the tests (scripts/ensure-services.sh failed)');
  },
  /** The browser the console's client tests share (see sharedChromiumContext). */
  async afterAll(this: Mocha.Context) {
    this.timeout(10_000);
    await closeSharedChromium();
  },
};
