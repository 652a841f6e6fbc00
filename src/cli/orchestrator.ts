#!/usr/bin/env node
import { runCli } from './run-cli.js';

/** The `orchestrator` binary (package.json `bin`): the CLI's entry point, which reads process.env. */
const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  fetch,
});
// Exit once everything written has been flushed (stdout may be a pipe).
process.stdout.write('', () => process.exit(code));
