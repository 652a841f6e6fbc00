import { execFile, spawnSync } from 'node:child_process';

/** The built CLI, as `npx orchestrator` runs it. */
export const ORCHESTRATOR_BIN = 'dist/cli/orchestrator.js';

/** Builds dist/ once per test run (`npm run build`), so the tests run the real binary. */
let built = false;
export function buildOrchestrator(): void {
  if (built) return;
  const result = spawnSync('npm', ['run', 'build'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
  built = true;
}

/** What one run of the binary did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `orchestrator <args>` with `env` over a clean copy of this process's environment. */
export function runOrchestrator(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ORCHESTRATOR_BIN, ...args],
      { env: { ...process.env, OTEL_SDK_DISABLED: 'true', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
