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
/** Room above the measured time, so a preparation slower than average still meets its slot. */
const PREPARATION_SLACK = 1.5;
/** A preparation starts at least this long before its slot, whatever the average says. */
const MIN_LEAD_MS = 5;
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
    return this.preparation === undefined ? FIRST_LEAD_MS : Math.max(MIN_LEAD_MS, this.preparation * PREPARATION_SLACK);
  }

  started(): void {
    this.working += 1;
    this.notify();
  }

  /** A preparation took `tookMs` (consent read and text), measured for the next residents' lead. */
  measured(tookMs: number): void {
    this.preparation = this.preparation === undefined ? tookMs : this.preparation + SMOOTHING * (tookMs - this.preparation);
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
