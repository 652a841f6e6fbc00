import { createLogger, type Logger } from '../../src/observability/logger.js';

/** A real logger whose JSON lines are kept as data for assertions. */
export function captureLogger(options: { secrets?: string[]; level?: 'trace' | 'debug' | 'info' } = {}): {
  logger: Logger;
  lines: string[];
  records(): Array<Record<string, unknown>>;
} {
  const lines: string[] = [];
  const logger = createLogger({
    level: options.level ?? 'debug',
    secrets: options.secrets ?? [],
    output: { write: (chunk: string) => (lines.push(chunk), process.env.DUMP_LOGS ? process.stderr.write(chunk) : true, true) } as never,
  });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
