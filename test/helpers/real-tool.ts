import { spawnSync } from 'node:child_process';

/**
 * The path of a real tool (promtool, prometheus) on PATH, or undefined. Outside CI a test skips
 * loudly without it; under CI=true (.ci/run installs the tools from Debian) a missing tool fails.
 */
export function realTool(name: string, context: Mocha.Context): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.env.CI === 'true') throw new Error(`${name} is not installed, and CI=true requires it (.ci/run installs it from Debian)`);
  console.warn(`\n  !!! SKIPPED: ${name} is not installed (apt-get install -y prometheus); this test runs in CI !!!\n`);
  context.skip();
}
