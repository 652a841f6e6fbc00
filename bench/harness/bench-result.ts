/** One target checked by a bench, with what was measured against it. */
export interface BenchCheck {
  name: string;
  target: string;
  actual: string;
  passed: boolean;
}

/** One measured subject (a server, a configuration) as a row of the summary table. */
export interface BenchRow {
  subject: string;
  [metric: string]: string | number;
}

/**
 * What every bench module's `run()` resolves to. A missed target is data (`passed: false`),
 * not an exception: only a crash of the bench itself rejects.
 */
export interface BenchResult {
  name: string;
  rows: BenchRow[];
  checks: BenchCheck[];
  passed: boolean;
  /** Where the full JSON result was written. */
  resultFile?: string;
}

/** A bench module as `run-all.ts` loads it. */
export interface BenchModule {
  run(): Promise<BenchResult>;
}
