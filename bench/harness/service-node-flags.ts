import { readFileSync } from 'node:fs';

/**
 * The V8 memory flags `npm start` runs the service with, read from package.json so the benches
 * measure the service as it is deployed (the Dockerfile repeats them). `${VAR:-default}` is
 * resolved from the environment or its default, as the shell would.
 */
export function serviceNodeFlags(packageJson = 'package.json'): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;
  return start
    .split(/\s+/)
    .filter((token) => token.startsWith('--max-'))
    .map((token) => token.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => process.env[name] ?? fallback));
}
