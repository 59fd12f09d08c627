import type { ProviderErrorKind } from '../domain/errors.js';
import type { Channel } from '../domain/model.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../domain/provider-names.js';
import type { ProviderHealthStore } from '../ports/provider-health.js';

/*
 * What ordered failover (provider-failover.ts) and weighted sharing (weighted-failover.ts) have in
 * common: when a provider counts as unwell, how failures are counted, and the trial's lease.
 */

export interface FailoverPolicy {
  /** Traffic moves on when a provider has MORE than this many unwell failures in the window. */
  errors: number;
  windowSeconds: number;
  /** How long a provider rests after traffic moved off it before one trial message goes back to it. */
  cooldownSeconds: number;
}

/**
 * Which failures say the provider itself is unwell, and so count towards failover. The others are
 * the provider's verdict on one message (it answered, so it is up), or, for `throttled`, a sign
 * that we send too fast: that is the pacer's to fix, and moving the same load onto the next
 * provider would only throttle it too.
 */
export const countsTowardsFailover: Record<ProviderErrorKind, boolean> = {
  /** 5xx answers, refused connections, DNS: the classic outage. */
  connectionFailed: true,
  /**
   * Timeouts and dropped connections: a provider that hangs is unwell. Counting it resends nothing
   * (the message itself stays failed, never retried), it only steers the messages that follow.
   */
  outcomeUnknown: true,
  /** Rejected credentials or sender: every message through it fails until an operator fixes it, so the next provider should carry them. */
  misconfigured: true,
  throttled: false,
  recipientOptedOut: false,
  invalidRecipient: false,
  windowClosed: false,
  rejected: false,
};

/** What one send goes through: the provider, and whether it is the half-open trial of a provider at rest. */
export interface ProviderPick {
  provider: ProviderName;
  trial: boolean;
  /** The version of the route (ordered) or breaker (weighted) the pick was made at; changes are conditional on it. */
  version: number;
}

/** An invocation whose trial died is taken over after this long (longer than a sender runs). */
export const TRIAL_LEASE_SECONDS = 120;
/** How long a warm function trusts the health it read: spares a read per message, delays a shift by at most this. */
export const DEFAULT_ROUTE_CACHE_SECONDS = 5;

/**
 * A rolling count from two fixed windows (the sliding-window counter): all of the current window,
 * and the share of the previous one the rolling window still overlaps.
 */
export function rollingCount(current: number, previous: number, elapsedShare: number): number {
  return current + previous * Math.max(0, 1 - elapsedShare);
}

/** The fixed window `now` falls in (its start in epoch seconds), and how much of it has gone. */
export function failureWindow(now: Date, windowSeconds: number): { windowStart: number; elapsedShare: number } {
  const nowSeconds = now.getTime() / 1000;
  const windowStart = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
  return { windowStart, elapsedShare: (nowSeconds - windowStart) / windowSeconds };
}

/** Counts one failure of the provider and returns its failures in the rolling window, this one included. */
export async function countRollingFailure(store: ProviderHealthStore, policy: FailoverPolicy, channel: Channel, provider: ProviderName, now: Date): Promise<number> {
  const { windowStart, elapsedShare } = failureWindow(now, policy.windowSeconds);
  const { current, previous } = await store.countFailure(channel, provider, windowStart, policy.windowSeconds);
  return rollingCount(current, previous, elapsedShare);
}

/** Whether a trial claimed at `trialStartedAt` may still report back (so no other is sent). */
export function trialUnderWay(trialStartedAt: string | undefined, now: Date): boolean {
  return trialStartedAt !== undefined && now.getTime() - Date.parse(trialStartedAt) < TRIAL_LEASE_SECONDS * 1000;
}

/** The oldest trial start another invocation may take over from. */
export function staleTrialBefore(now: Date): string {
  return new Date(now.getTime() - TRIAL_LEASE_SECONDS * 1000).toISOString();
}

/** Per-channel health a warm function read, trusted for a few seconds (see DEFAULT_ROUTE_CACHE_SECONDS). */
export class HealthReadCache<Value> {
  private readonly entries = new Map<Channel, { value: Value; readAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly read: (channel: Channel) => Promise<Value>,
    private readonly cacheMs: number,
  ) {}

  async cached(channel: Channel): Promise<Value> {
    const entry = this.entries.get(channel);
    if (entry && this.clock.now().getTime() - entry.readAt < this.cacheMs) return entry.value;
    return this.fresh(channel);
  }

  async fresh(channel: Channel): Promise<Value> {
    const value = await this.read(channel);
    this.entries.set(channel, { value, readAt: this.clock.now().getTime() });
    return value;
  }

  forget(channel: Channel): void {
    this.entries.delete(channel);
  }
}
