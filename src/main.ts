import { runService } from './run-service.js';

/** Entry point of `node dist/main.js` (the image, the tests): the only module that reads process.env. */
runService(process.env).catch((error: unknown) => {
  process.stderr.write(`webhook-orchestrator: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
