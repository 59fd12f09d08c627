import type { Clock } from '../ports/clock.js';
import type { PaceLane, SendPacer } from './send-pacer.js';

/**
 * An urgent lane's booking covers at most a second of the sender's rate: one write a second per
 * function at most, whatever the rate (half a second cost a write per 2–3 messages at 5 msg/s).
 */
const BOOKING_SECONDS = 1;
/** How far apart two slot times may be and still be the same time (floating-point drift). */
const SLOT_TOLERANCE_MS = 0.01;
/** The first booking of a function: small, until it shows it keeps up. */
const FIRST_BOOKING = 4;
/**
 * The bulk lane holds no slot further ahead than this (a booking must end within it), so an urgent
 * broadcast that starts now waits at most this long behind a bulk backlog. A bulk booking covers
 * at most half of it, so that the lane's functions between them keep the schedule full. Measured:
 * with bookings that could start 3 s ahead and cover a second, a sender that kept its rate held
 * ~3 s of bulk slots, and an urgent broadcast's first send came 3.4 s after it was made.
 */
const BULK_HORIZON_MS = 1_000;
/** No lane books further ahead than this, whatever time its function has left. */
const MAX_AHEAD_MS = 60_000;
/** Waiting for a slot further off than this is cheaper in the queue than in a running function. */
const MAX_WAIT_IN_FUNCTION_MS = 30_000;
/**
 * The share of a sender's rate actually booked. A provider counting in fixed one-second windows
 * sees a message that left a few milliseconds late in the next window; 2% headroom keeps such
 * jitter from tipping a window over into 429s, at a cost of 2% of throughput.
 */
export const PACING_HEADROOM = 0.98;
/**
 * A 429 despite pacing mostly means a provider counting in fixed one-second windows saw a message
 * that left late land in a window about to close: pausing the sender for two slots (at least
 * 100 ms) lets that window end. Another 429 soon after the pause means the provider really counts
 * fewer than the configured rate, so each such pause doubles, up to a second: the longest a
 * one-second window stays full. Pausing a whole second at the first 429, as crier did, gave away
 * ten slots at 10 msg/s for what one late message caused.
 */
const FIRST_HOLD_SLOTS = 2;
const MIN_HOLD_MS = 100;
const MAX_HOLD_MS = 1_000;
/** A 429 this soon after the last pause ended is the same trouble, not a new one. */
const THROTTLE_MEMORY_MS = 5_000;

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
  /**
   * How many slots the next booking asks for. It starts small and doubles while every slot
   * booked gets used, up to a second's worth; when slots went by unused (this function is
   * slower than the rate), it shrinks to what was used, but at most by half at a time: a busy
   * moment that made a few sends late is not a function too slow for its rate, and a booking a
   * message would cost a write a message. Unused slots are capacity nobody else can
   * have, so a function books no more than it keeps up with, yet a fast one books one write a
   * second.
   */
  private chunk = FIRST_BOOKING / 2;
  /** The last pause a 429 caused, and when it ends (epoch ms). */
  private holdMs = 0;
  private holdEndsAt = 0;
  /** The last booking handed out (see next): several residents ask at once, and one booking must serve them in turn. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SenderSlotOptions) {}

  get sender(): string {
    return this.options.sender;
  }

  /** The rate slots are handed out at (less the headroom), in units a second; undefined: unmetered. */
  get unitsPerSecond(): number | undefined {
    const rate = this.options.messagesPerSecond;
    return rate === undefined ? undefined : rate * PACING_HEADROOM;
  }

  /**
   * True when a slot at `at` is no longer to be used: it fell in the pause a 429 caused, or it
   * went by more than half an interval ago (the function was busy), when sent it would bunch up
   * against the next one's. An unmetered sender hands every slot out now, pause or not.
   */
  givenUp(at: number): boolean {
    const rate = this.unitsPerSecond;
    if (rate === undefined) return false;
    return at < this.holdEndsAt - SLOT_TOLERANCE_MS || this.options.clock.now().getTime() - at > 500 / rate;
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
    if (this.options.messagesPerSecond === undefined) return { ok: true, at: this.options.clock.now().getTime() };
    const rate = this.options.messagesPerSecond * PACING_HEADROOM;
    const interval = 1000 / rate;
    // Slots that went by while this function was busy are forfeit, not caught up on: catching up
    // would send a burst faster than the rate.
    this.nextSlot = Math.max(this.nextSlot, this.options.clock.now().getTime());
    // Within a hundredth of a millisecond: slot times are epoch ms plus fractions, and adding an
    // interval k times drifts from adding k intervals at once, which once made nearly every
    // booking's last slot look out of reach (a booking written per message, not per chunk).
    if (this.nextSlot + units * interval > this.bookedUntil + SLOT_TOLERANCE_MS) {
      const most = Math.ceil((rate * (this.options.lane === 'normal' ? BULK_HORIZON_MS / 2 : BOOKING_SECONDS * 1000)) / 1000);
      this.chunk = this.used >= this.booked ? Math.min(this.chunk * 2, most) : Math.max(1, this.used, Math.floor(this.chunk / 2));
      // The chunk, or what still fits before the deadline, but never less than this message needs.
      const fits = Math.floor((this.options.deadline - this.options.clock.now().getTime()) / interval);
      const want = Math.max(units, Math.min(this.chunk, fits, unitsLeft));
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
   * The provider said 429: every function sending for this sender pauses (see FIRST_HOLD_SLOTS).
   * Answers that come in during a pause are to sends made before it, so they do not lengthen it.
   */
  async holdBack(): Promise<void> {
    const now = this.options.clock.now().getTime();
    if (now < this.holdEndsAt - SLOT_TOLERANCE_MS) return;
    const rate = this.options.messagesPerSecond;
    const first = rate === undefined ? MAX_HOLD_MS : Math.max(MIN_HOLD_MS, (FIRST_HOLD_SLOTS * 1000) / (rate * PACING_HEADROOM));
    const again = this.holdMs > 0 && now - this.holdEndsAt < THROTTLE_MEMORY_MS;
    this.holdMs = Math.min(again ? this.holdMs * 2 : first, MAX_HOLD_MS);
    this.holdEndsAt = now + this.holdMs;
    await this.options.pacer.holdBack(this.options.sender, this.holdEndsAt);
    // This function's own slots inside the pause are given up; those after it are still its own.
    this.nextSlot = Math.max(this.nextSlot, this.holdEndsAt);
  }

  private async book(units: number, rate: number): Promise<{ ok: true } | { ok: false; retryAt: number }> {
    for (;;) {
      const now = this.options.clock.now().getTime();
      const cost = (units * 1000) / rate;
      // A bulk booking ends within the horizon; one message longer than it (many segments at a low
      // rate) may still start once the schedule is free.
      const latestStart = Math.min(
        this.options.deadline - cost,
        now + (this.options.lane === 'normal' ? Math.max(0, BULK_HORIZON_MS - cost) : MAX_AHEAD_MS),
      );
      const grant = await this.options.pacer.reserve({
        sender: this.options.sender,
        units,
        messagesPerSecond: rate,
        lane: this.options.lane,
        now,
        latestStart,
      });
      if (grant.granted) {
        // Right after our own last booking: the slots left of it are still ours to use.
        if (grant.startAt !== this.bookedUntil || this.nextSlot < now) this.nextSlot = grant.startAt;
        this.bookedUntil = grant.startAt + cost;
        return { ok: true };
      }
      // A short wait (the schedule is nearly within reach, an urgent hold ending) is spent here;
      // a long one, or one past the deadline, goes back to the queue.
      const wait = grant.retryAt - now;
      if (wait > MAX_WAIT_IN_FUNCTION_MS || grant.retryAt + cost > this.options.deadline) return { ok: false, retryAt: grant.retryAt };
      // A little jitter, so functions refused together do not all come back at the same instant.
      await this.options.sleep(Math.max(wait, 20) + Math.floor(Math.random() * 50));
    }
  }
}
