import type { BenchModule, BenchResult } from './harness/bench-result.js';
import { formatTable } from './harness/format-table.js';

/** Every bench, in the order they run. Each module exports `run(): Promise<BenchResult>`. */
const BENCHES: ReadonlyArray<{ name: string; load: () => Promise<BenchModule> }> = [
  { name: 'ingress', load: () => import('./ingress.js') },
  { name: 'actors', load: () => import('./actor-backlog.js') },
  { name: 'e2e', load: () => import('./e2e.js') },
];

/**
 * `npm run bench`: runs each bench in turn and prints one summary. A missed target prints FAIL
 * but exits 0 (benchmarks are noisy; CI must not flap on them); only a crash exits non-zero.
 * BENCH_ONLY=name[,name] runs a subset.
 */
async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const selected = BENCHES.filter((bench) => !only || only.includes(bench.name));
  if (selected.length === 0) throw new Error(`BENCH_ONLY matches no bench (have: ${BENCHES.map((b) => b.name).join(', ')})`);
  const results: BenchResult[] = [];
  for (const bench of selected) {
    const module = await bench.load();
    results.push(await module.run());
  }

  console.log('\n=== summary ===');
  for (const result of results) {
    console.log(`\n${result.name}: ${result.passed ? 'PASS' : 'FAIL'}${result.resultFile ? `  (${result.resultFile})` : ''}`);
    console.log(formatTable(result.rows));
    for (const check of result.checks.filter((c) => !c.passed)) {
      console.log(`  MISSED ${check.name}: ${check.actual} (target ${check.target})`);
    }
  }
  const failed = results.filter((result) => !result.passed).map((result) => result.name);
  console.log(`\n${failed.length === 0 ? 'PASS' : `FAIL (${failed.join(', ')})`}`);
}

main().catch((error: unknown) => {
  console.error('bench crashed:', error);
  process.exit(1);
});
