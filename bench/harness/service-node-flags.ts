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

/**
 * Everything after `node` in `npm start`, as the shell would run it: the V8 flags above, then
 * `--enable-source-maps --import ./dist/instrumentation.js dist/main.js` (whatever the script says).
 * `prestart` (the build) is not run here: call `buildService` first.
 */
export function npmStartArgs(packageJson = 'package.json'): string[] {
  const start = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: { start: string } }).scripts.start;
  const tokens = start.split(/\s+/).filter(Boolean);
  if (tokens[0] !== 'node') throw new Error(`npm start does not run node: "${start}"`);
  return tokens
    .slice(1)
    .map((token) => token.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => process.env[name] ?? fallback));
}
