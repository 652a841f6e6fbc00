import { expect } from 'chai';
import { attemptLeaseMs } from '../../../src/actors/attempt-lease-ms.js';
import { loadStreamDefinitions, type ConsumerDefinition } from '../../../src/bus/stream-definitions.js';
import { DEFAULT_ATTEMPT_LEASE_MS } from '../../../src/effects/db/task-attempts.js';

const consumer = (stream: string, ackWaitMs?: number): ConsumerDefinition => ({
  stream,
  config: { durable_name: `c_${stream}_${ackWaitMs}`, ...(ackWaitMs === undefined ? {} : { ack_wait: ackWaitMs * 1e6 }) },
});

describe('attemptLeaseMs', () => {
  it('is two thirds of the longest ack_wait of the TASKS consumers, in milliseconds', () => {
    expect(attemptLeaseMs([consumer('TASKS', 30_000), consumer('TASKS', 45_000), consumer('TASKS')])).to.equal(30_000);
    // Whole milliseconds, never over two thirds: a redelivery must find the lease over.
    expect(attemptLeaseMs([consumer('TASKS', 1_000)])).to.equal(666);
  });

  it('ignores the consumers of other streams', () => {
    expect(attemptLeaseMs([consumer('GITHUB', 120_000), consumer('TASKS', 30_000)])).to.equal(20_000);
  });

  it('is the default lease when no TASKS consumer sets an ack_wait', () => {
    expect(attemptLeaseMs([])).to.equal(DEFAULT_ATTEMPT_LEASE_MS);
    expect(attemptLeaseMs([consumer('TASKS'), consumer('TASKS', 0), consumer('GITHUB', 60_000)])).to.equal(DEFAULT_ATTEMPT_LEASE_MS);
  });

  it('follows the project’s own consumer definitions', async () => {
    const { consumers } = await loadStreamDefinitions('streams');
    const waits = consumers.filter((c) => c.stream === 'TASKS').map((c) => Number(c.config.ack_wait) / 1e6);
    expect(waits).to.not.be.empty;
    expect(attemptLeaseMs(consumers)).to.equal(Math.floor((Math.max(...waits) * 2) / 3));
  });
});
