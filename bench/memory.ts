import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { log, POLL_MS } from './progress.js';
import type { Options } from './options.js';

export interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

/** process.memoryUsage() every 100 ms; windows are read back by time. */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): MemorySample {
    const { rss, heapUsed } = process.memoryUsage();
    const sample = { at: Date.now(), rss, heapUsed };
    this.samples.push(sample);
    return sample;
  }

  peak(from: number, to: number): { rss: number; heapUsed: number } {
    let rss = 0;
    let heapUsed = 0;
    for (const sample of this.samples) {
      if (sample.at < from || sample.at > to) continue;
      rss = Math.max(rss, sample.rss);
      heapUsed = Math.max(heapUsed, sample.heapUsed);
    }
    return { rss, heapUsed };
  }
}

/**
 * Fan-out peak memory at 10,000 and 100,000 residents (by default), each in a child process of its
 * own: one local stack per process, and a fresh heap for each size. The senders run meanwhile (the
 * stack cannot hold them back), so growth includes what they write, not only the fan-out's pages.
 */
export async function memoryCheck(options: Options): Promise<Record<string, unknown>[]> {
  const runs: Record<string, unknown>[] = [];
  for (const subscribers of options.memoryCheckSizes) {
    const out = join(tmpdir(), `crier-bench-memory-${process.pid}-${subscribers}.json`);
    log(`memory check: ${subscribers} residents in a child process (seeding and fan-out only)`);
    const args = [
      ...process.execArgv,
      process.argv[1] ?? 'bench/run.ts',
      '--fan-out-only',
      '--subscribers',
      String(subscribers),
      '--mps',
      String(options.mps),
      '--shards',
      String(options.shards),
      '--topics',
      String(options.topics),
      '--seed-mode',
      options.seedMode,
      '--concurrency',
      String(options.concurrency),
      '--json-out',
      out,
    ];
    const code = await new Promise<number | null>((resolveExit) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMin * 2 * 60_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolveExit(exitCode);
      });
    });
    try {
      const child = JSON.parse(readFileSync(out, 'utf8')) as { fanOutMemory?: Record<string, unknown>; error?: string };
      runs.push({ subscribers, exitCode: code, ...(child.fanOutMemory ?? { error: child.error ?? 'no result' }) });
    } catch {
      runs.push({ subscribers, exitCode: code, error: 'the child process wrote no results (killed at its time limit?)' });
    }
    rmSync(out, { force: true });
  }
  return runs;
}
