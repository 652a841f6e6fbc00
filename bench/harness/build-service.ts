import { execFileSync } from 'node:child_process';

/** What `npm run build` did: tsc still emits on type errors, so a failed build is reported, not fatal. */
export interface BuildOutcome {
  ok: boolean;
  output?: string;
}

/** Runs `npm run build` in `dir` (what `npm start`'s `prestart` does), so dist/ is the code checked out. */
export function buildService(dir: string, log: (message: string) => void): BuildOutcome {
  log(`npm run build in ${dir}`);
  try {
    execFileSync('npm', ['run', 'build'], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
    return { ok: true };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}${stderr}`;
    log(`npm run build failed; measuring what dist/ holds:\n${output.split('\n').slice(-15).join('\n')}`);
    return { ok: false, output: output.slice(-4000) };
  }
}
