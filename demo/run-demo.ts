import { runDemo } from './demo-script.js';

/** `npm run demo`: the whole flow on this machine in under a minute, then everything removed. */
const started = Date.now();
runDemo({ out: (line) => process.stdout.write(`${line}\n`) }).then(
  () => {
    process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
