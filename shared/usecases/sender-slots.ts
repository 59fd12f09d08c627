import type { Clock } from '../ports/clock.js';
import type { PaceLane, SendPacer } from '../ports/send-pacer.js';

/** A booking covers about half a second of the sender's rate: few writes, yet a STOP read just before its slot is fresh. */
const BOOKING_SECONDS = 0.5;
/** The bulk lane books at most this far ahead, so an urgent broadcast that starts now waits at most this long. */
const BULK_HORIZON_MS = 3_000;
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

export type SlotOutcome = { ok: true } | { ok: false; retryAt: number };

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

  constructor(private readonly options: SenderSlotOptions) {}

  get sender(): string {
    return this.options.sender;
  }

  /** Waits until `units` slots are due; refuses (with when to come back) if they cannot be had in time. */
  async take(units: number): Promise<SlotOutcome> {
    if (this.options.messagesPerSecond === undefined) return { ok: true };
    const rate = this.options.messagesPerSecond * PACING_HEADROOM;
    const interval = 1000 / rate;
    // Slots that went by while this function was busy are forfeit, not caught up on: catching up
    // would send a burst faster than the rate.
    this.nextSlot = Math.max(this.nextSlot, this.options.clock.now().getTime());
    if (this.nextSlot + units * interval > this.bookedUntil) {
      // Half a second's worth, or what still fits before the deadline, but never less than this message needs.
      const fits = Math.floor((this.options.deadline - this.options.clock.now().getTime()) / interval);
      const booked = await this.book(Math.max(units, Math.min(Math.ceil(rate * BOOKING_SECONDS), fits)), rate);
      if (!booked.ok) return booked;
    }
    const slot = this.nextSlot;
    this.nextSlot += units * interval;
    const wait = slot - this.options.clock.now().getTime();
    if (wait > 0) await this.options.sleep(wait);
    return { ok: true };
  }

  /** The provider said 429: every function sending for this sender pauses for a second. */
  async holdBack(): Promise<void> {
    await this.options.pacer.holdBack(this.options.sender, this.options.clock.now().getTime() + 1000);
    this.bookedUntil = this.nextSlot;
  }

  private async book(units: number, rate: number): Promise<SlotOutcome> {
    for (;;) {
      const now = this.options.clock.now().getTime();
      const cost = (units * 1000) / rate;
      const latestStart = Math.min(
        this.options.deadline - cost,
        now + (this.options.lane === 'normal' ? BULK_HORIZON_MS : MAX_AHEAD_MS),
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
      await this.options.sleep(Math.max(wait, 20));
    }
  }
}
