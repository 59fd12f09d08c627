import type { ProviderError, ProviderErrorKind } from '../domain/errors.js';
import type { Channel } from '../domain/model.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../ports/messaging-provider.js';
import type { ChannelRoute, ProviderHealthStore } from '../ports/provider-health.js';
import { logger } from '../runtime/logger.js';

export interface FailoverPolicy {
  /** Traffic moves on when a provider has MORE than this many unwell failures in the window. */
  errors: number;
  windowSeconds: number;
  /** How long the next provider carries the channel before one trial goes back to the primary. */
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

/** What one send goes through: the provider, and whether it is the half-open trial of the primary. */
export interface ProviderPick {
  provider: ProviderName;
  trial: boolean;
  /** The route version the pick was made at; shifts are conditional on it. */
  version: number;
}

/** An invocation whose trial of the primary died is taken over after this long (longer than a sender runs). */
const TRIAL_LEASE_SECONDS = 120;
/** How long a warm function trusts the route it read: spares a read per message, delays a shift by at most this. */
const DEFAULT_ROUTE_CACHE_SECONDS = 5;

/**
 * Failover across a channel's ordered providers, shared by every invocation through the
 * `ProviderHealthStore`: closed (the primary carries traffic) → open (the next provider carries it
 * once the one before has too many failures in a rolling window) → half-open (after the cooldown,
 * one message goes to the primary; success moves traffic back, failure restarts the cooldown).
 */
export class ProviderFailover {
  private readonly cache = new Map<Channel, { route: ChannelRoute | undefined; readAt: number }>();
  private readonly routeCacheMs: number;

  constructor(
    private readonly store: ProviderHealthStore,
    private readonly clock: Clock,
    readonly policy: FailoverPolicy,
    options: { routeCacheSeconds?: number } = {},
  ) {
    this.routeCacheMs = (options.routeCacheSeconds ?? DEFAULT_ROUTE_CACHE_SECONDS) * 1000;
  }

  /** The provider the next message on this channel goes through. */
  async choose(channel: Channel, providers: readonly ProviderName[]): Promise<ProviderPick> {
    const primary = first(providers);
    let route = await this.cachedRoute(channel);
    let index = activeIndex(route, providers);
    if (index === 0 || !route) return { provider: primary, trial: false, version: route?.version ?? 0 };
    const now = this.clock.now();
    if (now.getTime() - Date.parse(route.since) >= this.policy.cooldownSeconds * 1000) {
      // The cooldown is over by what this function last read: read afresh, then race for the trial.
      route = await this.freshRoute(channel);
      index = activeIndex(route, providers);
      if (index === 0 || !route) return { provider: primary, trial: false, version: route?.version ?? 0 };
      const staleBefore = new Date(now.getTime() - TRIAL_LEASE_SECONDS * 1000).toISOString();
      if (now.getTime() - Date.parse(route.since) >= this.policy.cooldownSeconds * 1000
        && (await this.store.claimTrial(channel, route.version, now.toISOString(), staleBefore))) {
        this.cache.delete(channel);
        logger.info('provider failover: trying the primary again', { channel, primary, active: route.active });
        return { provider: primary, trial: true, version: route.version };
      }
    }
    return { provider: providers[index] ?? primary, trial: false, version: route.version };
  }

  /** The provider took the message. Only a trial writes anything: traffic goes back to the primary. */
  async succeeded(channel: Channel, providers: readonly ProviderName[], pick: ProviderPick): Promise<void> {
    if (!pick.trial) return;
    const route = await this.freshRoute(channel);
    const from = route?.active ?? first(providers);
    if (await this.store.shift(channel, pick.version, pick.provider, this.clock.now().toISOString())) {
      this.cache.delete(channel);
      await this.store.countShift(channel, from, pick.provider, this.clock.now().toISOString());
      logger.warn('provider failover: the primary answered its trial; traffic moves back to it', {
        channel,
        from,
        to: pick.provider,
        event: 'provider-shift',
      });
    }
  }

  /** The provider refused or failed the message. Counts it if it shows the provider unwell, and shifts when too many do. */
  async failed(channel: Channel, providers: readonly ProviderName[], pick: ProviderPick, error: ProviderError): Promise<void> {
    if (!countsTowardsFailover[error.kind]) {
      // A verdict on one message: the primary answered its trial, so it is up again.
      if (pick.trial) await this.succeeded(channel, providers, pick);
      return;
    }
    const now = this.clock.now();
    if (pick.trial) {
      // Still unwell: the current provider keeps the traffic and the cooldown starts again.
      const route = await this.freshRoute(channel);
      if (route && (await this.store.shift(channel, pick.version, route.active, now.toISOString()))) {
        this.cache.delete(channel);
        logger.warn('provider failover: the primary failed its trial; the cooldown starts again', {
          channel,
          primary: pick.provider,
          active: route.active,
          errorKind: error.kind,
        });
      }
      return;
    }
    const windowSeconds = this.policy.windowSeconds;
    const nowSeconds = now.getTime() / 1000;
    const windowStart = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
    const { current, previous } = await this.store.countFailure(channel, pick.provider, windowStart, windowSeconds);
    const failures = rollingCount(current, previous, (nowSeconds - windowStart) / windowSeconds);
    if (failures <= this.policy.errors) return;
    const route = await this.freshRoute(channel);
    const index = activeIndex(route, providers);
    // Another invocation has already moved the channel on from this provider.
    if (providers[index] !== pick.provider) return;
    const next = providers[index + 1];
    if (!next) {
      logger.error('provider failover: the last provider listed is failing too; nowhere to shift', {
        channel,
        provider: pick.provider,
        failures: Math.round(failures),
      });
      return;
    }
    if (await this.store.shift(channel, route?.version ?? 0, next, now.toISOString())) {
      this.cache.delete(channel);
      await this.store.countShift(channel, pick.provider, next, now.toISOString());
      logger.warn('provider failover: traffic moves to the next provider', {
        channel,
        from: pick.provider,
        to: next,
        failures: Math.round(failures),
        windowSeconds,
        threshold: this.policy.errors,
        lastErrorKind: error.kind,
        event: 'provider-shift',
      });
    }
  }

  private async cachedRoute(channel: Channel): Promise<ChannelRoute | undefined> {
    const cached = this.cache.get(channel);
    if (cached && this.clock.now().getTime() - cached.readAt < this.routeCacheMs) return cached.route;
    return this.freshRoute(channel);
  }

  private async freshRoute(channel: Channel): Promise<ChannelRoute | undefined> {
    const route = await this.store.route(channel);
    this.cache.set(channel, { route, readAt: this.clock.now().getTime() });
    return route;
  }
}

/**
 * A rolling count from two fixed windows (the sliding-window counter): all of the current window,
 * and the share of the previous one the rolling window still overlaps.
 */
export function rollingCount(current: number, previous: number, elapsedShare: number): number {
  return current + previous * Math.max(0, 1 - elapsedShare);
}

/** The active provider's place in the list; a route naming a provider no longer listed counts as the primary. */
function activeIndex(route: ChannelRoute | undefined, providers: readonly ProviderName[]): number {
  if (!route) return 0;
  return Math.max(0, providers.indexOf(route.active));
}

function first(providers: readonly ProviderName[]): ProviderName {
  const primary = providers[0];
  if (!primary) throw new Error('a channel needs at least one provider');
  return primary;
}
