import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalStackStartError } from '../shared/domain/errors.js';

/** The lock's file name in DATA_DIR. */
export const LOCK_FILE = 'crier.lock';

const holderSchema = z.object({ pid: z.number().int().positive(), port: z.number().int().min(0), startedAt: z.string() });
export type LockHolder = z.infer<typeof holderSchema>;

export interface DataDirLock {
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/**
 * Claims DATA_DIR for this process: one local stack per data directory, as one per port. Two
 * stacks on one directory would share dynalite's files, and the second closes the first's database
 * under it. The lock is a file created exclusively (O_EXCL) holding the holder's pid and port, so a
 * refusal can name the stack that holds it; a lock whose process has ended (a crash, a kill -9) is
 * taken over. Written by hand: the lock libraries judge staleness by age, and a stack runs for days.
 */
export function lockDataDir(dataDir: string, port: number): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, port, startedAt: new Date().toISOString() };
  // Twice at most: a stale lock is removed once, then the claim is made again. Should another
  // stack claim it in between, the second try finds that stack's lock and refuses.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (createExclusively(path, `${JSON.stringify(mine)}\n`)) return { release: () => releaseIfMine(path) };
    const holder = readHolder(path);
    if (holder === 'absent') continue;
    if (holder === 'unreadable') {
      throw new LocalStackStartError(
        `DATA_DIR ${dataDir} is locked by ${path}, which cannot be read. If no crier is running on this data, delete that file and start again.`,
      );
    }
    // Our own pid: a lock left by an earlier run in this process, or by a container's earlier life under the same pid.
    if (holder.pid !== process.pid && isRunning(holder.pid)) {
      throw new LocalStackStartError(
        `DATA_DIR ${dataDir} is in use by the crier running on port ${holder.port} (pid ${holder.pid}, started ${holder.startedAt}). ` +
          `Stop that one first, or start this one with DATA_DIR=<another directory>. If no crier is running, delete ${path}.`,
      );
    }
    rmSync(path, { force: true });
  }
  throw new LocalStackStartError(`DATA_DIR ${dataDir} was claimed by another crier starting at the same moment. Start again once it has started, or use another DATA_DIR.`);
}

function createExclusively(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readHolder(path: string): LockHolder | 'absent' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const parsed = holderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(path: string): void {
  const holder = readHolder(path);
  if (typeof holder === 'object' && holder.pid === process.pid) rmSync(path, { force: true });
}
