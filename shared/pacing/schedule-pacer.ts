import type { PacerStore } from './pacer-store.js';
import {
  bookingCost,
  bookingWriteOf,
  extensionStart,
  knownRefusal,
  MAX_RACES,
  retryAtAfterRefusal,
  scheduleOrIdle,
  writesToTry,
} from './schedule-rules.js';
import type { PaceGrant, PaceRequest, SendPacer } from './send-pacer.js';

/**
 * Books slots of a sender's shared schedule: the rules (shared/pacing/schedule-rules.ts) say which
 * conditional writes to try and what a refusal means, the store (DynamoDB in the functions, a map
 * in tests) makes them. Every booking is one write of a ~100-byte item for a whole chunk of sends,
 * not one per message. One pacer per function instance: it remembers where it last saw each
 * schedule end, which spares it writes that could not succeed.
 */
export class SchedulePacer implements SendPacer {
  /** The end of each sender's schedule as this function last saw it: a guess, only to order the writes. */
  private readonly lastSeenNextAt = new Map<string, number>();

  constructor(private readonly store: PacerStore) {}

  async reserve(request: PaceRequest): Promise<PaceGrant> {
    const known = knownRefusal(request, this.lastSeenNextAt.get(request.sender));
    if (known) return known;
    const cost = bookingCost(request);
    const write = bookingWriteOf(request);
    for (let attempt = 1; ; attempt += 1) {
      const startAt = await this.book(request, cost, write);
      if (startAt !== undefined) {
        this.lastSeenNextAt.set(request.sender, startAt + cost);
        return { granted: true, startAt };
      }
      const schedule = scheduleOrIdle(await this.store.read(request.sender), request.now);
      this.lastSeenNextAt.set(request.sender, schedule.nextAt);
      const retryAt = retryAtAfterRefusal(request, schedule);
      // Lost a race between the two writes (another function restarted the schedule): the slots
      // are still within reach, so book again, a few times, before asking the caller to wait.
      if (retryAt > request.now || attempt >= MAX_RACES) return { granted: false, retryAt };
    }
  }

  /** The provider answered "too many requests": the schedule moves on to `until`, never back. */
  async holdBack(sender: string, until: number): Promise<void> {
    await this.store.moveTo(sender, until);
  }

  /** The writes worth trying, in turn: the first slot the one that succeeded got, or undefined when none did. */
  private async book(request: PaceRequest, cost: number, write: ReturnType<typeof bookingWriteOf>): Promise<number | undefined> {
    for (const kind of writesToTry(this.lastSeenNextAt.get(request.sender), request.now)) {
      if (kind === 'restart') {
        if (await this.store.restart({ ...write, end: request.now + cost })) return request.now;
      } else {
        const previous = await this.store.extend({ ...write, cost, latestStart: request.latestStart });
        if (previous !== undefined) return extensionStart(previous, request.now);
      }
    }
    return undefined;
  }
}
