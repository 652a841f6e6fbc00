import { expect } from 'chai';
import { breakerStateSchema, consumerDepthSchema, MAX_OVERVIEW_MINUTES, overviewQuery, overviewSchema } from '../../../../src/api/schemas/overview-schemas.js';

describe('overviewQuery', () => {
  it('takes a window of 1 to 1440 minutes, 15 by default', () => {
    expect(overviewQuery.parse({})).to.deep.equal({ minutes: 15 });
    expect(overviewQuery.parse({ minutes: '60' })).to.deep.equal({ minutes: 60 });
    expect(overviewQuery.parse({ minutes: String(MAX_OVERVIEW_MINUTES) })).to.deep.equal({ minutes: 1440 });
  });

  it('refuses a window out of range, not a whole number, or another parameter', () => {
    for (const minutes of ['0', '1441', '1.5', '-3', 'ten', '99999']) expect(overviewQuery.safeParse({ minutes }).success, minutes).to.equal(false);
    expect(overviewQuery.safeParse({ hours: '1' }).success).to.equal(false);
  });
});

describe('overviewSchema', () => {
  const overview = {
    minutes: 15,
    generated_at: '2026-11-29T12:00:00.000Z',
    deliveries: { per_minute: [{ minute: '2026-11-29T11:59:00.000Z', count: 2 }], by_type: [{ event_type: 'push', outcome: 'processed', count: 2, per_minute: 0.13 }] },
    tasks: [{ task_type: 'push_analysis', status: 'succeeded', count: 2 }],
    breakers: [{ dependency: 'github', state: 'half_open' }],
    consumers: [{ consumer: 'GITHUB/actor_push', pending: 0 }],
    dead_letters_waiting: null,
  };

  it('accepts the overview the API answers, dead letters unknown when NATS did not answer', () => {
    expect(overviewSchema.safeParse(overview).success).to.equal(true);
    expect(overviewSchema.safeParse({ ...overview, dead_letters_waiting: 3 }).success).to.equal(true);
  });

  it('refuses a negative count and a breaker state it does not know', () => {
    expect(overviewSchema.safeParse({ ...overview, tasks: [{ task_type: 'push_analysis', status: 'succeeded', count: -1 }] }).success).to.equal(false);
    expect(breakerStateSchema.safeParse({ dependency: 'github', state: 'ajar' }).success).to.equal(false);
    expect(consumerDepthSchema.safeParse({ consumer: 'c', pending: 1.5 }).success).to.equal(false);
  });
});
