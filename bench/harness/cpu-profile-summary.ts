import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The parts of V8's `.cpuprofile` format (what `node --cpu-prof` writes) that are read here. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  /** Where: a file (relative to the project or inside node_modules) and 1-based line. */
  location: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface CpuProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  /** Functions by self time, highest first. */
  functions: SelfTimeRow[];
  /** Self time grouped by package (`koa`, `@nats-io/nats-core`, `node:internal/…`, `app:src/…`, `(gc)`). */
  packages: SelfTimeRow[];
}

/**
 * Self time per function and per package from a `.cpuprofile`. A sample's time is the delta to
 * the next sample, so it is charged to the function on top of the stack when it was taken.
 */
export interface SummariseOptions {
  /** Rows per table. Default 25. */
  top?: number;
  /** Paths under it are shown relative to it. Default the working directory. */
  projectRoot?: string;
  /** Only samples taken in these windows (CLOCK_MONOTONIC µs, as the profile's own timestamps). */
  windows?: ReadonlyArray<{ startUs: number; endUs: number }>;
}

export function summariseCpuProfile(file: string, options: SummariseOptions = {}): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const top = options.top ?? 25;
  const root = options.projectRoot ?? process.cwd();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (options.windows && !options.windows.some((w) => at >= w.startUs && at <= w.endUs)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }

  const functions = new Map<string, { name: string; location: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const location = frame.url ? `${relativePath(frame.url, root)}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const entry = functions.get(key) ?? { name, location, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const group = packageOf(frame.url, frame.functionName, root);
    packages.set(group, (packages.get(group) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const row = (name: string, location: string, us: number): SelfTimeRow => ({
    name,
    location,
    selfMs: round(us / 1000),
    percent: busyUs > 0 ? round((us / busyUs) * 100) : 0,
  });
  return {
    totalMs: round(totalUs / 1000),
    idleMs: round(idleUs / 1000),
    busyMs: round(busyUs / 1000),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => row(entry.name, entry.location, entry.us)),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => row(name, '', us)),
  };
}

function relativePath(url: string, root: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function packageOf(url: string, functionName: string, root: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    return `node:${parts[0] === 'internal' ? parts.slice(0, 2).join('/') : parts[0]}`;
  }
  const path = relativePath(url, root);
  const parts = path.split('/');
  if (url.includes('/node_modules/')) return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  // Our own code, by folder (app:dist/ingress, app:dist/bus …); anything else by its directory.
  if (!path.startsWith('/')) return `app:${parts.slice(0, Math.min(parts.length - 1, 2)).join('/')}`;
  return parts.slice(0, -1).join('/');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
