import type { PaceGrant, PaceRequest } from './send-pacer.js';
import type { BookingWrite, PaceSchedule } from './pacer-store.js';

/*
 * A sender's shared schedule as a generic cell rate algorithm: a virtual clock (`nextAt`, the
 * first slot nobody holds) rather than a token count, so it needs no refill and never lets a
 * burst through after a quiet spell. Booking k slots moves `nextAt` on by k/rate seconds. These
 * are the rules over that clock; the store (shared/pacing/pacer-store.ts) only keeps it.
 */

/** How long after its latest booking an urgent broadcast keeps the bulk lane off its sender. */
export const URGENT_HOLD_MS = 3_000;
/** Bookings lost to concurrent ones in a row before the caller is asked to wait a moment. */
export const MAX_RACES = 5;

/** What `units` slots of the request's rate take of the schedule, in ms. */
export function bookingCost(request: Pick<PaceRequest, 'units' | 'messagesPerSecond'>): number {
  return (request.units * 1000) / request.messagesPerSecond;
}

/**
 * The urgent hold's part in a booking: an urgent broadcast holds the bulk lane off until
 * URGENT_HOLD_MS after its booking ends; the bulk lane books nothing while such a hold lasts;
 * a reply neither holds nor is held.
 */
export function bookingWriteOf(request: PaceRequest): BookingWrite {
  return {
    sender: request.sender,
    now: request.now,
    ...(request.lane === 'urgent' ? { urgentUntil: request.now + bookingCost(request) + URGENT_HOLD_MS } : {}),
    unlessUrgent: request.lane === 'normal',
  };
}

/**
 * A refusal known without asking the store: the caller's latest start has already gone by, or
 * this function last saw the schedule booked beyond it. `nextAt` only moves forward, so it still
 * is: come back when what was seen would be within reach. A busy schedule with several functions
 * waiting on it refuses far more often than it grants, and most of those refusals are a function
 * asking again while its own last booking still runs.
 */
export function knownRefusal(request: PaceRequest, seenNextAt: number | undefined): PaceGrant | undefined {
  if (request.latestStart < request.now) return { granted: false, retryAt: request.now };
  if (seenNextAt !== undefined && seenNextAt > request.latestStart) return { granted: false, retryAt: request.now + (seenNextAt - request.latestStart) };
  return undefined;
}

/**
 * The writes worth trying, the one more likely to succeed first. The schedule is running: book
 * the slots after the last booking (extend). Or it has run dry: start again from now (restart).
 * Once this function has seen `nextAt` at or after now, the schedule cannot have run dry (it only
 * moves forward) and a restart could not succeed; only a dry-looking schedule is worth both, and
 * an idle sender's booking is then one write, not a failed one and another.
 */
export function writesToTry(seenNextAt: number | undefined, now: number): readonly ('restart' | 'extend')[] {
  return seenNextAt === undefined || seenNextAt < now ? ['restart', 'extend'] : ['extend'];
}

/** The first slot an extension got: where the schedule stood, never before now. */
export function extensionStart(previousNextAt: number, now: number): number {
  return Math.max(previousNextAt, now);
}

/**
 * When a refused booking is worth trying again, from the schedule as read after the refusal:
 * after the urgent hold (the bulk lane), or once the schedule is within reach. Now, when another
 * booking won the race between this one's writes and the slots are still within reach.
 */
export function retryAtAfterRefusal(request: PaceRequest, schedule: PaceSchedule): number {
  if (request.lane === 'normal' && schedule.urgentUntil > request.now) return schedule.urgentUntil;
  if (schedule.nextAt <= request.latestStart) return request.now;
  return request.now + (schedule.nextAt - request.latestStart);
}

/** What a refusal's read means when there is no schedule yet: one that ran dry at now. */
export function scheduleOrIdle(schedule: PaceSchedule | undefined, now: number): PaceSchedule {
  return schedule ?? { nextAt: now, urgentUntil: 0 };
}
