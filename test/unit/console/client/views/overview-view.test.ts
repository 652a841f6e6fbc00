import { expect } from 'chai';
import type { z } from 'zod';
import { overviewSchema } from '../../../../../src/api/schemas/overview-schemas.js';
import { useConsoleViewPage } from '../../../../helpers/console-view-page.js';

const overview = (overrides: Partial<z.input<typeof overviewSchema>> = {}): z.input<typeof overviewSchema> => ({
  minutes: 15,
  generated_at: '2026-11-29T10:15:00.000Z',
  deliveries: {
    per_minute: [
      { minute: '2026-11-29T10:13:00.000Z', count: 2 },
      { minute: '2026-11-29T10:14:00.000Z', count: 0 },
      { minute: '2026-11-29T10:15:00.000Z', count: 4 },
    ],
    by_type: [
      { event_type: 'push', outcome: 'processed', count: 5, per_minute: 0.333 },
      { event_type: 'check_run', outcome: 'failed', count: 1, per_minute: 0.0667 },
    ],
  },
  tasks: [{ task_type: 'push_analysis', status: 'succeeded', count: 5 }],
  breakers: [
    { dependency: 'github', state: 'open' },
    { dependency: 'database', state: 'closed' },
  ],
  consumers: [
    { consumer: 'actor_push', pending: 3 },
    { consumer: 'actor_analysis', pending: 4 },
  ],
  dead_letters_waiting: 2,
  ...overrides,
});

describe('overviewView', function () {
  this.timeout(15_000);
  const view = useConsoleViewPage(['views/overview-view']);
  const cards = () => view.run<Record<string, [string, boolean, string | null]>>(`return Object.fromEntries([...root.querySelectorAll('[data-metric]')].map((card) =>
    [card.dataset.metric, [card.querySelector('.value').textContent, card.classList.contains('alert'), card.getAttribute('href')]]));`);

  it('sums the window into cards, each linking where its rows are and raised when something needs a look', async () => {
    view.answer('GET /api/v1/overview', overviewSchema, overview());
    await view.render('overviewView');

    expect(view.requests).to.deep.equal(['GET /api/v1/overview?minutes=15']);
    expect(await cards()).to.deep.equal({
      deliveries: ['6', false, '#/deliveries'],
      failed: ['1', true, '#/deliveries?outcome=failed'],
      backlog: ['7', false, null],
      breakers: ['1', true, null],
      'dead-letters': ['2', true, '#/dead-letters'],
    });
  });

  it('draws one bar per minute, scaled to the busiest, and links each event type and task type to its filtered list', async () => {
    view.answer('GET /api/v1/overview', overviewSchema, overview());
    await view.render('overviewView');

    expect(await view.run(`return [...root.querySelectorAll('.chart li .bar')].map((bar) => bar.style.height);`)).to.deep.equal(['50%', '0%', '100%']);
    expect(await view.run(`return [...root.querySelectorAll('tbody a')].map((a) => a.getAttribute('href'));`)).to.deep.equal([
      '#/deliveries?event=push&outcome=processed',
      '#/deliveries?event=check_run&outcome=failed',
      '#/tasks?task_type=push_analysis&status=succeeded',
    ]);
    expect(await view.run(`return [...root.querySelectorAll('tbody tr')].map((row) => row.textContent).slice(0, 2);`)).to.deep.equal(['pushprocessed50.33', 'check_runfailed10.07']);
  });

  it('says so when the window is empty and NATS did not say how many dead letters wait', async () => {
    view.answer('GET /api/v1/overview', overviewSchema, overview({ deliveries: { per_minute: [], by_type: [] }, tasks: [], breakers: [], consumers: [], dead_letters_waiting: null }));
    await view.render('overviewView');

    expect((await cards())['dead-letters']).to.deep.equal(['unknown', false, '#/dead-letters']);
    const text = await view.run<string>(`return root.textContent;`);
    for (const empty of ['No deliveries in this window.', 'No tasks created in this window.', 'No breakers in this process.', 'No consumers sampled (actors disabled?).']) {
      expect(text).to.include(empty);
    }
  });

  it('polls every 5 s, showing the new figures', async () => {
    view.answer('GET /api/v1/overview', overviewSchema, overview());
    await view.render('overviewView');
    view.answer('GET /api/v1/overview', overviewSchema, overview({ dead_letters_waiting: 0 }));
    await view.tick();

    expect(await view.run(`return timers.map((timer) => timer.ms);`)).to.deep.equal([5000]);
    expect((await cards())['dead-letters']).to.deep.equal(['0', false, '#/dead-letters']);
  });
});
