import bunyan from 'bunyan';
import { trace } from '@opentelemetry/api';
import type { Writable } from 'node:stream';

export type Logger = bunyan;

export interface LoggerOptions {
  name?: string;
  level: bunyan.LogLevelString;
  /** Values scrubbed from every line, wherever they appear (tokens, webhook secrets). */
  secrets?: readonly string[];
  /** Where JSON lines go; stdout by default. Tests pass a collector. */
  output?: Pick<Writable, 'write'>;
}

const REDACTED = '[REDACTED]';
const SENSITIVE_KEYS = /^(authorization|x-hub-signature(-256)?|cookie|password|token|secret|private_?key)$/i;

/**
 * A bunyan logger that writes JSON lines with the active trace id, and with every configured
 * secret and every sensitive header value replaced by `[REDACTED]`. Redaction happens on the
 * serialised line, so a secret cannot leak through a nested object or an error message.
 */
export function createLogger(options: LoggerOptions): Logger {
  const output = options.output ?? process.stdout;
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4);
  const stream = {
    write(entry: object): void {
      const record = entry as Record<string, unknown>;
      const span = trace.getActiveSpan();
      if (span && record.trace_id === undefined) {
        const context = span.spanContext();
        record.trace_id = context.traceId;
        record.span_id = context.spanId;
      }
      let line = JSON.stringify(record, redactKeys);
      for (const secret of secrets) line = line.split(jsonEscaped(secret)).join(REDACTED);
      output.write(`${line}\n`);
    },
  };
  return bunyan.createLogger({
    name: options.name ?? 'webhook-orchestrator',
    level: options.level,
    serializers: bunyan.stdSerializers,
    streams: [{ type: 'raw', stream, level: options.level }],
  });
}

function redactKeys(key: string, value: unknown): unknown {
  return SENSITIVE_KEYS.test(key) && typeof value === 'string' ? REDACTED : value;
}

function jsonEscaped(secret: string): string {
  return JSON.stringify(secret).slice(1, -1);
}
