import { parseArgs } from 'node:util';

/**
 * `npm run cli -- <command>`: the management API from a terminal, for operators who would rather
 * not write curl. Reads ORCHESTRATOR_URL (default http://127.0.0.1:8000) and API_TOKEN.
 *
 *   tasks [--status S] [--type T] [--repository owner/name] [--delivery ID] [--limit N]
 *   task <id>                  retry <task id>
 *   deliveries [--event E] [--outcome O] [--repository owner/name] [--limit N]
 *   delivery <id>              replay <delivery id>
 *   dead-letters [--limit N]   redrive <dead letter id>
 */
const USAGE = 'usage: cli tasks|task|retry|deliveries|delivery|replay|dead-letters|redrive [args] (see src/cli.ts)';

export interface CliIo {
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  out(line: string): void;
}

/** Runs one command; resolves to the process exit code (0 ok, 1 refused by the API, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      type: { type: 'string' },
      repository: { type: 'string' },
      delivery: { type: 'string' },
      event: { type: 'string' },
      outcome: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
    },
  });
  const [command, id] = positionals;
  const query = (pairs: Record<string, string | undefined>) => {
    const params = new URLSearchParams(Object.entries(pairs).filter((entry): entry is [string, string] => entry[1] !== undefined));
    return params.size > 0 ? `?${params}` : '';
  };
  const page = { limit: values.limit, offset: values.offset };
  const requests: Record<string, () => [string, string] | undefined> = {
    tasks: () => ['GET', `/api/v1/tasks${query({ ...page, status: values.status, task_type: values.type, repository: values.repository, delivery_id: values.delivery })}`],
    task: () => (id ? ['GET', `/api/v1/tasks/${encodeURIComponent(id)}`] : undefined),
    retry: () => (id ? ['POST', `/api/v1/tasks/${encodeURIComponent(id)}/retry`] : undefined),
    deliveries: () => ['GET', `/api/v1/deliveries${query({ ...page, event: values.event, outcome: values.outcome, repository: values.repository })}`],
    delivery: () => (id ? ['GET', `/api/v1/deliveries/${encodeURIComponent(id)}`] : undefined),
    replay: () => (id ? ['POST', `/api/v1/deliveries/${encodeURIComponent(id)}/replay`] : undefined),
    'dead-letters': () => ['GET', `/api/v1/dead-letters${query(page)}`],
    redrive: () => (id ? ['POST', `/api/v1/dead-letters/${encodeURIComponent(id)}/redrive`] : undefined),
  };
  const request = command ? requests[command]?.() : undefined;
  if (!request) {
    io.out(USAGE);
    return 2;
  }
  const base = (io.env.ORCHESTRATOR_URL ?? 'http://127.0.0.1:8000').replace(/\/+$/, '');
  const response = await io.fetch(`${base}${request[1]}`, {
    method: request[0],
    headers: { authorization: `Bearer ${io.env.API_TOKEN ?? ''}`, accept: 'application/json' },
  });
  const text = await response.text();
  io.out(text ? JSON.stringify(JSON.parse(text), null, 2) : `${response.status}`);
  return response.ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2), { env: process.env, fetch, out: (line) => process.stdout.write(`${line}\n`) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`cli: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
