/**
 * How far ahead of its slot a resident's preparation starts, and how many residents one sending
 * function has in hand at once, from what the function measures rather than from an assumed
 * provider latency.
 *
 * A resident is prepared (consent read, text composed) a moment before their slot, that moment
 * being what preparations have taken lately, so the consent read is fresh when the slot comes
 * and is read once. Sends are not sized at all: the sender's schedule paces them, so as many are
 * in flight as its rate times the provider's answer time, whatever that is (Little's law); the
 * limit is only a bound against a provider that stops answering.
 */

/** The weight of the newest measurement in the running average: steady, yet it follows a change within a few dozen sends. */
const SMOOTHING = 0.2;
/** The weight of the newest measurement in the running mean deviation (RFC 6298's β). */
const DEVIATION_SMOOTHING = 0.25;
/**
 * Mean deviations above the average a preparation is given, as TCP gives a round trip before it
 * retransmits (RFC 6298: SRTT + 4 × RTTVAR): room for the slow tail of consent reads, not only the
 * average. With 1.5 × the average, a busy moment's slower reads left sends more than the late
 * tolerance behind their slots, and those slots went unused.
 */
const DEVIATIONS = 4;
/** A preparation starts at least this long before its slot, whatever the average says. */
const MIN_LEAD_MS = 5;
/**
 * A preparation starts at most this long before its slot: the consent read is what lets a STOP
 * made during the wait count, so it is never older than this when the send leaves.
 */
const MAX_LEAD_MS = 250;
/** Before anything is measured: a few DynamoDB requests' worth. */
const FIRST_LEAD_MS = 50;
/**
 * Residents in hand at once for an unmetered sender (the sandbox unlimited, a test): no schedule
 * spaces them, so the number the sender kept in flight before it sized itself.
 */
const UNMETERED_AT_ONCE = 16;

export class SendPipeline {
  private working = 0;
  private preparation: number | undefined;
  private deviation = 0;
  private waiters: (() => void)[] = [];

  /** @param limit residents in hand at most (1: strictly one after another, as tests that tell a story want). */
  constructor(private readonly limit: number) {}

  /** Whether one more resident may be taken in hand, for a sender of `unitsPerSecond` (undefined: unmetered). */
  hasRoom(unitsPerSecond: number | undefined): boolean {
    const limit = unitsPerSecond === undefined ? Math.min(this.limit, UNMETERED_AT_ONCE) : this.limit;
    return this.working < limit;
  }

  /** How long before its slot a resident's preparation starts. */
  get leadMs(): number {
    if (this.preparation === undefined) return FIRST_LEAD_MS;
    return Math.min(MAX_LEAD_MS, Math.max(MIN_LEAD_MS, this.preparation + DEVIATIONS * this.deviation));
  }

  started(): void {
    this.working += 1;
    this.notify();
  }

  /** A preparation took `tookMs` (consent read and text), measured for the next residents' lead. */
  measured(tookMs: number): void {
    if (this.preparation === undefined) {
      // RFC 6298's first measurement: the deviation starts at half of it.
      this.preparation = tookMs;
      this.deviation = tookMs / 2;
      return;
    }
    const error = tookMs - this.preparation;
    this.deviation += DEVIATION_SMOOTHING * (Math.abs(error) - this.deviation);
    this.preparation += SMOOTHING * error;
  }

  finished(): void {
    this.working -= 1;
    this.notify();
  }

  /** Resolves at the next change: a resident taken in hand, or finished with. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
