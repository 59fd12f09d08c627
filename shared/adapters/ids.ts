import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from '../ports/clock.js';

export const systemClock: Clock = { now: () => new Date() };

/** ULIDs: unique, and they sort by creation time, so listings come out in order. */
export function ulidGenerator(): IdGenerator {
  const next = monotonicFactory();
  return { next: () => next().toLowerCase() };
}
