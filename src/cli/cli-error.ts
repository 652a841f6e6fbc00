/**
 * The CLI's exit codes, which scripts may rely on: 0 done, 1 refused or failed, 2 bad usage
 * (unknown command or option, invalid value, bad configuration), 3 not found, 4 the service or a
 * dependency it needs (NATS, PostgreSQL) could not be reached.
 */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2, not_found: 3, unreachable: 4 } as const;
export type ExitKind = keyof typeof EXIT_CODES;

/** A command's failure with the exit code it maps to; its message is shown to the operator. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly kind: Exclude<ExitKind, 'ok'>,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}
