/** Where a CLI run reads its environment and writes its output (a process, or a test). */
export interface CliIo {
  env: Record<string, string | undefined>;
  /** Standard output: results. */
  out(text: string): void;
  /** Standard error: diagnostics and usage. */
  err(text: string): void;
  fetch: typeof fetch;
}
