import { vi } from 'vitest';

/**
 * Reads (as `vi.waitFor` calls: every `interval` ms, one read at a time) until `done` holds of
 * what was read or `timeout` has passed, and returns the last read either way: for waits whose
 * caller judges the outcome itself (a broadcast that never finished fails the invariants that
 * follow; no message at all is what some tests expect). `vi.waitFor` alone would throw instead.
 */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, options: { timeout: number; interval: number }): Promise<T> {
  let reading: Promise<T> | undefined;
  await vi
    .waitFor(async () => {
      reading = read();
      if (!done(await reading)) throw new Error('not yet');
    }, options)
    .catch(() => undefined);
  // A read may still be under way at the timeout: its answer is the freshest (and what it took,
  // say a received message, is not lost). A read that failed fails here.
  return reading ?? read();
}
