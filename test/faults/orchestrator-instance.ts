import path from 'node:path';
import { childEnv } from '../../bench/harness/child-env.js';
import { startServerProcess, type ServerProcess } from '../../bench/harness/server-process.js';
import { npmStartCommand } from '../../bench/harness/service-node-flags.js';

/** One orchestrator process of a fault run, started as `npm start` starts it, that can be killed and started again. */
export interface OrchestratorInstance {
  readonly name: string;
  /** `http://127.0.0.1:<port>` while it runs; undefined while it is down. */
  readonly baseUrl: string | undefined;
  /** Starts it (again) with the same environment; resolves once /health/ready answers 200. */
  start(): Promise<void>;
  /** SIGKILL (a crash: no shutdown hook runs) or SIGTERM (a graceful stop), and waits for the exit. */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
  /** The end of its output (both runs' when it was restarted), for a failed scenario's report. */
  output(): string;
  /** CPU time (user + system, ms) of the current process so far. */
  cpuMs(): number;
}

/**
 * `sh scripts/start-service.sh` (package.json's start command, which execs node on dist/) in
 * the repository root with `env` over this process's environment. Each start picks a free port.
 */
export function createOrchestratorInstance(name: string, root: string, env: Record<string, string>): OrchestratorInstance {
  const start = npmStartCommand(path.join(root, 'package.json'));
  let server: ServerProcess | undefined;
  let earlier = '';
  return {
    name,
    get baseUrl() {
      return server ? `http://127.0.0.1:${server.port}` : undefined;
    },
    async start() {
      if (server) throw new Error(`${name} is already running`);
      server = await startServerProcess({
        name,
        command: start.command,
        args: start.args,
        cwd: root,
        env: childEnv({ PORT: '0', HOST: '127.0.0.1', ...env }),
        readyPath: '/health/ready',
        readyTimeoutMs: 120_000,
      });
    },
    async stop(signal) {
      const running = server;
      if (!running) return undefined;
      server = undefined;
      if (signal === 'SIGKILL') process.kill(running.pid, 'SIGKILL');
      // After a SIGKILL, stop() only waits for the exit; otherwise it is SIGTERM with a generous grace.
      const exit = await running.stop(30_000);
      earlier = `${earlier}${running.output()}\n--- ${name} stopped by ${signal}: ${JSON.stringify(exit)} ---\n`.slice(-32 * 1024);
      return exit;
    },
    output: () => `${earlier}${server?.output() ?? ''}`.slice(-32 * 1024),
    cpuMs() {
      if (!server) return 0;
      const cpu = server.cpu();
      return cpu.userMs + cpu.systemMs;
    },
  };
}
