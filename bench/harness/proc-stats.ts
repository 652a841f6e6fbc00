import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** CPU time a process has used so far, from /proc/<pid>/stat. */
export interface CpuTime {
  userMs: number;
  systemMs: number;
}

/** Memory figures of a live process, from /proc/<pid>/status. */
export interface MemoryUsage {
  /** VmHWM: the peak resident set size since the process started. */
  peakRssBytes: number;
  /** VmRSS: the resident set size now. */
  rssBytes: number;
}

/** Whole-machine CPU counters from /proc/stat, in milliseconds summed over all cores. */
export interface MachineCpu {
  busyMs: number;
  totalMs: number;
}

let clockTicks: number | undefined;
const ticksToMs = (ticks: number) => {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks * 1000) / clockTicks;
};

export function processMemory(pid: number): MemoryUsage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

export function processCpu(pid: number): CpuTime {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is parenthesised and may itself contain spaces;
  // utime and stime are fields 14 and 15 of proc(5), and fields[0] here is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: ticksToMs(Number(fields[11])), systemMs: ticksToMs(Number(fields[12])) };
}

export function machineCpu(): MachineCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu user nice system idle iowait irq softirq steal …
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = values[3]! + values[4]!;
  return { busyMs: ticksToMs(total - idle), totalMs: ticksToMs(total) };
}

/**
 * The pid of the one running process named `name` whose command line mentions `hint`, if there
 * is exactly one (e.g. the nats-server on port 4222 among test servers on other ports).
 */
export function findProcess(name: string, hint: string): number | undefined {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(hint)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * TCP ports the process itself is listening on: its socket inodes (/proc/<pid>/fd) matched
 * against the kernel's LISTEN sockets (/proc/net/tcp, tcp6). Unlike probing a port, this cannot
 * mistake another process's server for this one.
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return []; // The process has gone.
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const LISTEN = '0A';
      if (fields[3] === LISTEN && inodes.has(fields[9]!)) ports.add(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports];
}
