import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LocalStack } from '../local/stack.js';
import type { BroadcastProgress, Observer, QueueDepth } from './observer.js';

export const POLL_MS = 100;
export const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the results as they stand, so a run that crashes or is stopped still leaves what it measured. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export interface WatchResult {
  outcome: 'completed' | 'stalled' | 'timed out';
  fanOutDoneAt: number | undefined;
  targetedAtFanOut: number | undefined;
  doneAt: number;
  last: BroadcastProgress | undefined;
}

/**
 * Follows a broadcast through the bench's own (uncounted) view of the table until every targeted
 * resident has an outcome, nothing is left on the queues (a job parked in a DLQ never completes),
 * or the deadline passes.
 */
export async function watchBroadcast(
  stack: LocalStack,
  observer: Observer,
  id: string,
  {
    deadline,
    label,
    idleLanes,
    untilFanOut = false,
    onFanOutDone,
  }: { deadline: number; label: string; idleLanes: string[]; untilFanOut?: boolean; onFanOutDone?: () => void },
): Promise<WatchResult> {
  let fanOutDoneAt: number | undefined;
  let targetedAtFanOut: number | undefined;
  let last: BroadcastProgress | undefined;
  let lastChangeAt = Date.now();
  let lastSignature = '';
  let nextDepthCheck = 0;
  let nextProgressLine = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const progress = await observer.broadcast(id);
    last = progress ?? last;
    const now = Date.now();
    if (progress && fanOutDoneAt === undefined && progress.fanOutPending <= 0) {
      fanOutDoneAt = now;
      targetedAtFanOut = progress.targeted;
      log(`${label}: fan-out done, ${progress.targeted} recipients targeted`);
      onFanOutDone?.();
      if (untilFanOut) return { outcome: 'completed', fanOutDoneAt, targetedAtFanOut, doneAt: now, last: progress };
    }
    if (progress && (progress.status === 'sent' || progress.status === 'cancelled')) {
      return { outcome: 'completed', fanOutDoneAt, targetedAtFanOut, doneAt: now, last };
    }
    const signature = JSON.stringify([progress, stack.sandbox.stats]);
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastChangeAt = now;
    }
    if (now >= nextProgressLine && progress) {
      nextProgressLine = now + 5_000;
      const { accepted, throttled } = stack.sandbox.stats;
      log(
        `${label}: targeted ${progress.targeted}, sent ${progress.sent}, failed ${progress.failed}, skipped ${progress.skipped}, delivered ${progress.delivered} ` +
          `(provider: ${accepted} accepted, ${throttled} × 429 so far)`,
      );
    }
    // Nothing moved for 5 s: look at the queues. Empty lanes and no progress means it is over.
    if (now - lastChangeAt > 5_000 && now >= nextDepthCheck) {
      nextDepthCheck = now + 1_000;
      const depths = await observer.queueDepths();
      const busy = idleLanes.some((lane) => pending(depths[lane]) > 0);
      if (!busy) {
        log(`${label}: no progress for ${((now - lastChangeAt) / 1000).toFixed(0)} s and its queues are empty; the broadcast will not complete`);
        return { outcome: 'stalled', fanOutDoneAt, targetedAtFanOut, doneAt: lastChangeAt, last };
      }
    }
    await sleep(fanOutDoneAt === undefined ? POLL_MS : 250);
  }
  log(`${label}: gave up waiting at the deadline`);
  return { outcome: 'timed out', fanOutDoneAt, targetedAtFanOut, doneAt: Date.now(), last };
}

export function pending(depth: QueueDepth | undefined): number {
  return depth ? depth.visible + depth.inFlight + depth.delayed : 0;
}

export function pendingIn(depths: Record<string, QueueDepth>, suffix: string): number {
  return Object.entries(depths)
    .filter(([name]) => name.endsWith(suffix))
    .reduce((sum, [, depth]) => sum + pending(depth), 0);
}
