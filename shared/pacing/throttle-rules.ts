import { SLOT_TOLERANCE_MS } from './booking-rules.js';

/*
 * What a 429 despite pacing does to a sender's sends. It mostly means a provider counting in fixed
 * one-second windows saw a message that left late land in a window about to close: pausing the
 * sender for two slots (at least 100 ms) lets that window end. Another 429 soon after the pause
 * means the provider really counts fewer than the configured rate, so each such pause doubles, up
 * to a second: the longest a one-second window stays full. Pausing a whole second at the first
 * 429, as crier did, gave away ten slots at 10 msg/s for what one late message caused.
 */

const FIRST_HOLD_SLOTS = 2;
const MIN_HOLD_MS = 100;
const MAX_HOLD_MS = 1_000;
/** A 429 this soon after the last pause ended is the same trouble, not a new one. */
const THROTTLE_MEMORY_MS = 5_000;
/** New slots one resident takes for slots that went by or fell in a 429's pause, before the run stops there. */
export const MAX_NEW_SLOTS = 4;
/** 429s a batch retries in place (after the sender's hold) before it hands its rest back. */
export const MAX_THROTTLED_RETRIES = 3;

/** The last pause a 429 caused, and when it ends (epoch ms); { 0, 0 } before any. */
export interface ThrottleHold {
  holdMs: number;
  endsAt: number;
}

export const NO_HOLD: ThrottleHold = { holdMs: 0, endsAt: 0 };

/**
 * The pause a 429 at `now` calls for, at the paced rate (undefined: unmetered, a second);
 * undefined while the last pause still runs: answers that come in during a pause are to sends
 * made before it, so they do not lengthen it.
 */
export function holdAfterThrottle(last: ThrottleHold, now: number, rate: number | undefined): ThrottleHold | undefined {
  if (now < last.endsAt - SLOT_TOLERANCE_MS) return undefined;
  const first = rate === undefined ? MAX_HOLD_MS : Math.max(MIN_HOLD_MS, (FIRST_HOLD_SLOTS * 1000) / rate);
  const again = last.holdMs > 0 && now - last.endsAt < THROTTLE_MEMORY_MS;
  const holdMs = Math.min(again ? last.holdMs * 2 : first, MAX_HOLD_MS);
  return { holdMs, endsAt: now + holdMs };
}

/**
 * True when a slot at `at` is no longer to be used: it fell in the pause a 429 caused, or it went
 * by more than half an interval ago (the function was busy), when sent it would bunch up against
 * the next one's. An unmetered sender (rate undefined) uses every slot, pause or not.
 */
export function slotGivenUp(at: number, now: number, hold: ThrottleHold, rate: number | undefined): boolean {
  if (rate === undefined) return false;
  return at < hold.endsAt - SLOT_TOLERANCE_MS || now - at > 500 / rate;
}
