import { runCli } from '../../src/cli/run-cli.js';

/** What one `orchestrator …` run printed and the exit code it ended with. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in process with `env` (nothing of the test's own environment) and the real fetch. */
export async function runCliCapture(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env, fetch, out: (text) => void (out += text), err: (text) => void (err += text) });
  return { code, out, err };
}
