import type { PaceLane } from './send-pacer.js';

/*
 * How one function books its share of a sender's schedule: how many slots at a time, how far
 * ahead, and whether a refusal is waited out in the function or handed back to the queue.
 * Times are epoch milliseconds; rates are slots a second, headroom taken off (pacedRate).
 */

/**
 * The share of a sender's rate actually booked. A provider counting in fixed one-second windows
 * sees a message that left a few milliseconds late in the next window; 2% headroom keeps such
 * jitter from tipping a window over into 429s, at a cost of 2% of throughput.
 */
export const PACING_HEADROOM = 0.98;
/** How far apart two slot times may be and still be the same time (floating-point drift). */
export const SLOT_TOLERANCE_MS = 0.01;
/**
 * An urgent lane's booking covers at most a second of the sender's rate: one write a second per
 * function at most, whatever the rate (half a second cost a write per 2–3 messages at 5 msg/s).
 */
const BOOKING_SECONDS = 1;
/** The first booking of a function: small, until it shows it keeps up. */
const FIRST_BOOKING = 4;
/**
 * The bulk lane holds no slot further ahead than this (a booking must end within it), so an urgent
 * broadcast that starts now waits at most this long behind a bulk backlog. A bulk booking covers
 * at most half of it, so that the lane's functions between them keep the schedule full. Measured:
 * with bookings that could start 3 s ahead and cover a second, a sender that kept its rate held
 * ~3 s of bulk slots, and an urgent broadcast's first send came 3.4 s after it was made.
 */
export const BULK_HORIZON_MS = 1_000;
/** No lane books further ahead than this, whatever time its function has left. */
export const MAX_AHEAD_MS = 60_000;
/** Waiting for a slot further off than this is cheaper in the queue than in a running function. */
export const MAX_WAIT_IN_FUNCTION_MS = 30_000;
/** The shortest wait before asking again after a refusal (a little jitter is added to it). */
const MIN_REFUSAL_WAIT_MS = 20;

/** The rate slots are handed out at: the sender's, less the headroom; undefined: unmetered. */
export function pacedRate(messagesPerSecond: number | undefined): number | undefined {
  return messagesPerSecond === undefined ? undefined : messagesPerSecond * PACING_HEADROOM;
}

/**
 * The chunk a function's first booking doubles from (see nextChunk): so the first is FIRST_BOOKING.
 */
export const FIRST_CHUNK = FIRST_BOOKING / 2;

/** Whether `units` more slots from `nextSlot` still lie within this function's own booking. */
export function bookingCovers(slots: { nextSlot: number; bookedUntil: number }, units: number, rate: number): boolean {
  // Within a hundredth of a millisecond: slot times are epoch ms plus fractions, and adding an
  // interval k times drifts from adding k intervals at once, which once made nearly every
  // booking's last slot look out of reach (a booking written per message, not per chunk).
  return slots.nextSlot + units * (1000 / rate) <= slots.bookedUntil + SLOT_TOLERANCE_MS;
}

/**
 * How many slots the next booking asks for at most. It starts small and doubles while every slot
 * booked gets used, up to a second's worth (half the horizon in the bulk lane); when slots went by
 * unused (this function is slower than the rate), it shrinks to what was used, but at most by
 * half at a time: a busy moment that made a few sends late is not a function too slow for its
 * rate, and a booking a message would cost a write a message. Unused slots are capacity nobody
 * else can have, so a function books no more than it keeps up with, yet a fast one books one
 * write a second.
 */
export function nextChunk(last: { chunk: number; booked: number; used: number }, rate: number, lane: PaceLane): number {
  const most = Math.ceil((rate * (lane === 'normal' ? BULK_HORIZON_MS / 2 : BOOKING_SECONDS * 1000)) / 1000);
  return last.used >= last.booked ? Math.min(last.chunk * 2, most) : Math.max(1, last.used, Math.floor(last.chunk / 2));
}

/**
 * The slots to book: the chunk, or what still fits before the deadline, or what is left of the
 * job, whichever is least, but never less than this message needs.
 */
export function bookingSize(want: { units: number; chunk: number; unitsLeft: number }, rate: number, now: number, deadline: number): number {
  const fits = Math.floor((deadline - now) / (1000 / rate));
  return Math.max(want.units, Math.min(want.chunk, fits, want.unitsLeft));
}

/**
 * The latest first slot a booking of `cost` ms can use: it must end by the deadline; a bulk
 * booking within the horizon (one message longer than it, many segments at a low rate, may
 * still start once the schedule is free); any other within MAX_AHEAD_MS.
 */
export function latestStartOf(lane: PaceLane, cost: number, now: number, deadline: number): number {
  return Math.min(deadline - cost, now + (lane === 'normal' ? Math.max(0, BULK_HORIZON_MS - cost) : MAX_AHEAD_MS));
}

/**
 * After a refusal: how long to wait in the function before asking again (a short wait: the
 * schedule nearly within reach, an urgent hold ending), or undefined to hand the work back to the
 * queue (a long wait, or one that ends past the deadline). Jitter is the caller's to add.
 */
export function refusalWait(retryAt: number, cost: number, now: number, deadline: number): number | undefined {
  const wait = retryAt - now;
  if (wait > MAX_WAIT_IN_FUNCTION_MS || retryAt + cost > deadline) return undefined;
  return Math.max(wait, MIN_REFUSAL_WAIT_MS);
}

/**
 * Where a function's next slot is once a booking is granted: right after its own last booking,
 * the slots left of that one are still its own; otherwise the grant's first slot.
 */
export function nextSlotAfterGrant(slots: { nextSlot: number; bookedUntil: number }, startAt: number, now: number): number {
  return startAt !== slots.bookedUntil || slots.nextSlot < now ? startAt : slots.nextSlot;
}
