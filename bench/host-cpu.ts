import { readFileSync } from 'node:fs';

/** The machine's CPU time counters (all cores, in clock ticks), from /proc/stat; undefined off Linux. */
export interface CpuTimes {
  total: number;
  steal: number;
}

/**
 * Read by hand because no library reports it: `os.cpus()` has no steal time. Steal is CPU time a
 * virtual machine's host gave to someone else while this machine wanted it; on a shared host it
 * can slow every part of the one-process local stack at once, and a rate measured then says more
 * about the neighbours than about crier.
 */
export function cpuTimes(): CpuTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.split('\n').find((line) => line.startsWith('cpu '))?.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …
  if (!fields || fields.length < 8 || fields.some(Number.isNaN)) return undefined;
  return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] as number };
}

/** The share (0–1) of the machine's CPU time the host stole between two readings. */
export function stolenShare(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}
