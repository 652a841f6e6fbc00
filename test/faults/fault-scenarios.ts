import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultContext, FaultScenario } from './fault-scenario.js';

const running = async (context: FaultContext) => Number((await context.query(`select count(*) as n from tasks where status = 'running'`)).rows[0].n);

/** Waits for analyses in flight (GitHub is slow), then stops instance A with `signal` and starts it again. */
function restartInstance(signal: 'SIGKILL' | 'SIGTERM'): FaultScenario['inject'] {
  return async (context) => {
    await context.until(async () => (await running(context)) >= 3, 60_000, 'three analyses running');
    const [a] = context.instances;
    context.log(`${signal} ${a.name} with ${await running(context)} tasks running`);
    context.faultStarts();
    context.mark(`${signal} ${a.name}`);
    const exit = await a.stop(signal);
    context.mark(`${a.name} exited`);
    context.log(`${a.name} exited ${JSON.stringify(exit)}; starting it again`);
    await a.start();
    context.log(`${a.name} is ready again`);
    context.mark(`${a.name} ready again`);
    return Date.now();
  };
}

/** A third of the deliveries accepted: the stream is busy. */
const midStream = (context: FaultContext, total: number) => context.until(() => context.accepted() >= Math.ceil(total / 3), 60_000, 'a third of the deliveries accepted');

/**
 * Every scenario of the suite, in the order they run. Sizes are per scenario: enough deliveries
 * that the fault lands mid-stream, few enough that a run takes about a minute on a 2-core machine.
 */
export function faultScenarios(scale = 1): FaultScenario[] {
  const n = (count: number) => Math.max(4, Math.round(count * scale));
  return [
    {
      name: 'SIGKILL instance (GitHub slow)',
      pullRequests: n(40),
      failingPullRequests: n(4),
      perSecond: 8,
      prepare: ({ github }) => github.setLatencyMs(1500),
      inject: restartInstance('SIGKILL'),
      recoveryTargetSeconds: 10,
    },
    {
      name: 'SIGTERM instance (GitHub slow)',
      pullRequests: n(40),
      failingPullRequests: n(4),
      perSecond: 8,
      prepare: ({ github }) => github.setLatencyMs(1500),
      inject: restartInstance('SIGTERM'),
      recoveryTargetSeconds: 10,
    },
    {
      name: 'NATS: kill stream leader, later a 2nd node',
      pullRequests: n(60),
      failingPullRequests: n(4),
      perSecond: 8,
      async inject(context) {
        await midStream(context, n(60));
        for (const round of [1, 2]) {
          const leader = await context.stack.cluster.streamLeader(context.githubStream);
          context.log(`kill ${leader.name}, leader of ${context.githubStream} (node ${round} of 2)`);
          context.faultStarts();
          await leader.kill();
          await sleep(5000);
          await leader.start();
          await context.stack.cluster.ready();
          context.log(`${leader.name} is back`);
          if (round === 1) await sleep(3000);
        }
        return Date.now();
      },
    },
    {
      name: 'PostgreSQL stopped 15 s',
      pullRequests: n(60),
      failingPullRequests: n(4),
      perSecond: 8,
      recoveryTargetSeconds: 10,
      async inject(context) {
        await midStream(context, n(60));
        context.log('stop PostgreSQL (immediate)');
        context.faultStarts();
        context.stack.postgres.stop();
        await sleep(15_000);
        context.stack.postgres.start();
        context.log('PostgreSQL is back');
        return Date.now();
      },
    },
    {
      name: 'Codegen 500s, then timeouts',
      pullRequests: n(30),
      failingPullRequests: n(6),
      perSecond: 8,
      async inject(context) {
        await midStream(context, n(30));
        context.log('Codegen answers 500 for 10 s');
        context.faultStarts();
        context.codegen.failNext(500, 1_000_000);
        await sleep(10_000);
        context.codegen.clearFailures();
        context.log('Codegen answers after 4 s (the client gives up at 3 s) for 10 s');
        context.codegen.setLatencyMs(4000);
        await sleep(10_000);
        context.codegen.setLatencyMs(0);
        return Date.now();
      },
    },
    {
      name: 'GitHub rate limited',
      pullRequests: n(40),
      failingPullRequests: n(4),
      perSecond: 8,
      async inject(context) {
        await midStream(context, n(40));
        const resetAt = Math.floor(Date.now() / 1000) + 10;
        context.log('GitHub answers RATE_LIMITED (remaining 0) until its reset in 10 s');
        context.faultStarts();
        context.github.setRateLimitHeaders({ remaining: 0, resetAt });
        context.github.setRateLimited(1_000_000);
        await sleep(Math.max(0, resetAt * 1000 - Date.now()));
        context.github.setRateLimited(false);
        context.github.setRateLimitHeaders({ remaining: 4999, resetAt: resetAt + 3600 });
        return Date.now();
      },
    },
  ];
}
