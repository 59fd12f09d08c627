import type { Clock } from '../ports/clock.js';
import {
  bookingCovers,
  bookingSize,
  FIRST_CHUNK,
  latestStartOf,
  nextChunk,
  nextSlotAfterGrant,
  pacedRate,
  refusalWait,
} from './booking-rules.js';
import type { PaceLane, SendPacer } from './send-pacer.js';
import { holdAfterThrottle, NO_HOLD, slotGivenUp, type ThrottleHold } from './throttle-rules.js';

/** A slot booked (due at `at`, epoch ms), or refused: come back at `retryAt`. */
export type SlotOutcome = { ok: true; at: number } | { ok: false; retryAt: number };

export interface SenderSlotOptions {
  pacer: SendPacer;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  sender: string;
  /** Undefined: the sender is unmetered, every slot is now. */
  messagesPerSecond: number | undefined;
  lane: PaceLane;
  /** Epoch ms by which every send this function starts must have started (its own timeout, less a margin). */
  deadline: number;
}

/**
 * One function's share of a sender's schedule: it books slots in chunks through the shared pacer
 * and hands them out one message at a time, waiting until each one's time comes. Slots booked
 * and not used (the job ended, a resident was skipped) are simply lost: the price of booking a
 * chunk with one write rather than one write per message.
 */
export class SenderSlots {
  private nextSlot = 0;
  private bookedUntil = 0;
  /** Slots in the current booking, and how many this function has used of them. */
  private booked = 0;
  private used = 0;
  /** How many slots the next booking asks for at most (see nextChunk). */
  private chunk = FIRST_CHUNK;
  /** The last pause a 429 caused. */
  private hold: ThrottleHold = NO_HOLD;
  /** The last booking handed out (see next): several residents ask at once, and one booking must serve them in turn. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SenderSlotOptions) {}

  get sender(): string {
    return this.options.sender;
  }

  /** The rate slots are handed out at (less the headroom), in units a second; undefined: unmetered. */
  get unitsPerSecond(): number | undefined {
    return pacedRate(this.options.messagesPerSecond);
  }

  /**
   * True when a slot at `at` is no longer to be used: it fell in the pause a 429 caused, or it
   * went by longer ago than a send may be late (the function was busy; see slotGivenUp). An
   * unmetered sender hands every slot out now, pause or not.
   */
  givenUp(at: number): boolean {
    return slotGivenUp(at, this.options.clock.now().getTime(), this.hold, this.unitsPerSecond);
  }

  /** Books `units` slots (see next) and waits until they are due. */
  async take(units: number, unitsLeft = Number.POSITIVE_INFINITY): Promise<SlotOutcome> {
    const slot = await this.next(units, unitsLeft);
    if (slot.ok) await this.waitUntil(slot.at);
    return slot;
  }

  /** Sleeps until `at` (epoch ms), if that is still to come. */
  async waitUntil(at: number): Promise<void> {
    const wait = at - this.options.clock.now().getTime();
    if (wait > 0) await this.options.sleep(wait);
  }

  /**
   * The time the next `units` slots are due, booked from the shared schedule when this function's
   * own booking has run out, without waiting for them; refused (with when to come back) if they
   * cannot be had in time. `unitsLeft` (this message's and the rest of the job's, as far as the
   * caller can tell) keeps a booking from reaching past the end of the job.
   */
  next(units: number, unitsLeft = Number.POSITIVE_INFINITY): Promise<SlotOutcome> {
    // One at a time: two callers seeing the booking run out together would each book a chunk.
    const outcome = this.turn.then(() => this.nextInTurn(units, unitsLeft));
    this.turn = outcome.catch(() => undefined);
    return outcome;
  }

  private async nextInTurn(units: number, unitsLeft: number): Promise<SlotOutcome> {
    const rate = this.unitsPerSecond;
    if (rate === undefined) return { ok: true, at: this.options.clock.now().getTime() };
    const interval = 1000 / rate;
    // Slots that went by while this function was busy are forfeit, not caught up on: catching up
    // would send a burst faster than the rate.
    this.nextSlot = Math.max(this.nextSlot, this.options.clock.now().getTime());
    if (!bookingCovers({ nextSlot: this.nextSlot, bookedUntil: this.bookedUntil }, units, rate)) {
      this.chunk = nextChunk({ chunk: this.chunk, booked: this.booked, used: this.used }, rate, this.options.lane);
      const want = bookingSize({ units, chunk: this.chunk, unitsLeft }, rate, this.options.clock.now().getTime(), this.options.deadline);
      const booked = await this.book(want, rate);
      if (!booked.ok) return booked;
      this.booked = want;
      this.used = 0;
    }
    const slot = this.nextSlot;
    this.nextSlot += units * interval;
    this.used += units;
    return { ok: true, at: slot };
  }

  /**
   * The provider said 429: every function sending for this sender pauses (throttle-rules.ts).
   * Answers that come in during a pause are to sends made before it, so they do not lengthen it.
   */
  async holdBack(): Promise<void> {
    const hold = holdAfterThrottle(this.hold, this.options.clock.now().getTime(), this.unitsPerSecond);
    if (!hold) return;
    this.hold = hold;
    await this.options.pacer.holdBack(this.options.sender, hold.endsAt);
    // This function's own slots inside the pause are given up; those after it are still its own.
    this.nextSlot = Math.max(this.nextSlot, hold.endsAt);
  }

  /** Books `units` slots from the shared schedule; a short refusal is waited out here, a long one answered (see refusalWait). */
  private async book(units: number, rate: number): Promise<{ ok: true } | { ok: false; retryAt: number }> {
    for (;;) {
      const now = this.options.clock.now().getTime();
      const cost = (units * 1000) / rate;
      const { lane, deadline } = this.options;
      const grant = await this.options.pacer.reserve({
        sender: this.options.sender,
        units,
        messagesPerSecond: rate,
        lane,
        now,
        latestStart: latestStartOf(lane, cost, now, deadline),
      });
      if (grant.granted) {
        this.nextSlot = nextSlotAfterGrant({ nextSlot: this.nextSlot, bookedUntil: this.bookedUntil }, grant.startAt, now);
        this.bookedUntil = grant.startAt + cost;
        return { ok: true };
      }
      const wait = refusalWait(grant.retryAt, cost, now, deadline);
      if (wait === undefined) return { ok: false, retryAt: grant.retryAt };
      // A little jitter, so functions refused together do not all come back at the same instant.
      await this.options.sleep(wait + Math.floor(Math.random() * 50));
    }
  }
}
