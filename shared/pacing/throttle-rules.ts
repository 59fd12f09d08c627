import { PACING_HEADROOM, SLOT_TOLERANCE_MS } from './booking-rules.js';

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
 * The slack the headroom leaves in a provider's one-second window, in milliseconds: the paced
 * rate puts the rate's N sends 1000 / PACING_HEADROOM ms apart from first to N+1th, ~20 ms more
 * than a second at any rate. A send that leaves later than this after its slot can open a window
 * that the send N slots on, leaving on time, still falls in: N+1 sends in a second, a 429.
 */
export const WINDOW_SLACK_MS = 1000 / PACING_HEADROOM - 1000;

/**
 * How late a send may leave after its slot: half an interval (later, it bunches up against the
 * next one's), but never more than the window's slack. At 5 msg/s half an interval is 100 ms,
 * five times the slack: sends that late in the local stack's busy first seconds made 0.9% of
 * sends 429s (`npm run bench -- --sweep`, 5 msg/s).
 */
export function lateSendToleranceMs(rate: number): number {
  return Math.min(500 / rate, WINDOW_SLACK_MS);
}

/**
 * True when a slot at `at` is no longer to be used: it fell in the pause a 429 caused, or it went
 * by longer ago than a send may be late (lateSendToleranceMs), when sent it could bunch up with
 * the next one's or tip a provider's window. An unmetered sender (rate undefined) uses every
 * slot, pause or not.
 */
export function slotGivenUp(at: number, now: number, hold: ThrottleHold, rate: number | undefined): boolean {
  if (rate === undefined) return false;
  return at < hold.endsAt - SLOT_TOLERANCE_MS || now - at > lateSendToleranceMs(rate);
}
