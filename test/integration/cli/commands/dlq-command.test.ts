import { expect } from 'chai';
import { AppError } from '../../../../src/errors/app-error.js';
import { runCliCapture } from '../../../helpers/run-cli-capture.js';
import { API_TOKEN, useApiHarness } from '../../api/management-api-harness.js';

describe('orchestrator dlq', function () {
  this.timeout(30_000);
  const harness = useApiHarness();
  const cli = (...argv: string[]) => runCliCapture([...argv, '--url', harness.api().url], { API_TOKEN });
  const letter = {
    id: '12',
    stream: 'GITHUB',
    consumer: 'actor_push',
    subject: 'github.push.none',
    delivery_id: 'd-12',
    task_id: null,
    reason: 'permanent_failure: not a push',
    failed_at: '2026-11-29T12:00:00.000Z',
  };

  it('lists dead letters with where they died and why, asking the API for the page given', async () => {
    harness.api().ports.listDeadLetters.resolves({ dead_letters: [letter], total: 7 });
    const { code, out } = await cli('dlq', 'list', '--limit', '1', '--offset', '3');
    expect(code).to.equal(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).to.match(/^ID\s+FROM\s+SUBJECT\s+DELIVERY\s+REASON\s+FAILED$/);
    expect(lines[1]).to.match(/^12\s+GITHUB\/actor_push\s+github\.push\.none\s+d-12\s+permanent_failure: not a push\s+2026-11-29T12:00:00\.000Z$/);
    expect(lines[2]).to.equal('1 of 7 dead letter(s)');
    expect(harness.api().ports.listDeadLetters.calledOnceWithExactly({ limit: 1, offset: 3 })).to.equal(true);
  });

  it('redrives one and says where it went; 3 for an unknown id; 4 when NATS is unavailable', async () => {
    harness.api().ports.redriveDeadLetter.resolves({ stream: 'GITHUB', subject: 'github.push.none', seq: 1201 });
    expect((await cli('dlq', 'redrive', '12')).out).to.equal('dead letter 12 published again on github.push.none (GITHUB #1201)\n');
    harness.api().ports.redriveDeadLetter.resolves(null);
    expect((await cli('dlq', 'redrive', '13')).code).to.equal(3);
    harness.api().ports.redriveDeadLetter.rejects(new AppError('unavailable', 'NATS is not connected', { retryAfterSeconds: 3 }));
    expect((await cli('dlq', 'redrive', '14')).code).to.equal(4);
  });
});
