import type { ProviderError } from '../domain/errors.js';
import type { Channel } from '../domain/model.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../domain/provider-names.js';
import type { ChannelRoute, ProviderHealthStore } from '../ports/provider-health.js';
import { logger } from '../runtime/logger.js';
import {
  countRollingFailure,
  countsTowardsFailover,
  DEFAULT_ROUTE_CACHE_SECONDS,
  HealthReadCache,
  staleTrialBefore,
  type FailoverPolicy,
  type ProviderPick,
} from './failover-policy.js';
import { WeightedFailover } from './weighted-failover.js';
import { noMetrics, type Metrics } from '../platform/metrics.js';

export { countsTowardsFailover, rollingCount, type FailoverPolicy, type ProviderPick } from './failover-policy.js';

/**
 * Failover across a channel's ordered providers, shared by every invocation through the
 * `ProviderHealthStore`: closed (the primary carries traffic) → open (the next provider carries it
 * once the one before has too many failures in a rolling window) → half-open (after the cooldown,
 * one message goes to the primary; success moves traffic back, failure restarts the cooldown).
 */
export class ProviderFailover {
  private readonly routes: HealthReadCache<ChannelRoute | undefined>;
  private readonly metrics: Metrics;
  /** The same store and policy for lists with weights, whose providers share traffic rather than take turns. */
  readonly weighted: WeightedFailover;

  constructor(
    private readonly store: ProviderHealthStore,
    private readonly clock: Clock,
    readonly policy: FailoverPolicy,
    options: { routeCacheSeconds?: number; random?: () => number; metrics?: Metrics } = {},
  ) {
    const cacheMs = (options.routeCacheSeconds ?? DEFAULT_ROUTE_CACHE_SECONDS) * 1000;
    this.routes = new HealthReadCache(clock, (channel) => store.route(channel), cacheMs);
    this.metrics = options.metrics ?? noMetrics;
    this.weighted = new WeightedFailover(store, clock, policy, { cacheMs, random: options.random, metrics: this.metrics });
  }

  /** A shift, counted where the providers view reads it and where the dashboard does. */
  private async countShift(channel: Channel, from: ProviderName, to: ProviderName, at: string): Promise<void> {
    await this.store.countShift(channel, from, to, at);
    this.metrics.record('FailoverShifts', { channel, from, to });
  }

  /** The provider the next message on this channel goes through. */
  async choose(channel: Channel, providers: readonly ProviderName[]): Promise<ProviderPick> {
    const primary = first(providers);
    let route = await this.routes.cached(channel);
    let index = activeIndex(route, providers);
    if (index === 0 || !route) return { provider: primary, trial: false, version: route?.version ?? 0 };
    const now = this.clock.now();
    if (now.getTime() - Date.parse(route.since) >= this.policy.cooldownSeconds * 1000) {
      // The cooldown is over by what this function last read: read afresh, then race for the trial.
      route = await this.routes.fresh(channel);
      index = activeIndex(route, providers);
      if (index === 0 || !route) return { provider: primary, trial: false, version: route?.version ?? 0 };
      if (now.getTime() - Date.parse(route.since) >= this.policy.cooldownSeconds * 1000
        && (await this.store.claimTrial(channel, route.version, now.toISOString(), staleTrialBefore(now)))) {
        this.routes.forget(channel);
        logger.info('provider failover: trying the primary again', { channel, primary, active: route.active });
        return { provider: primary, trial: true, version: route.version };
      }
    }
    return { provider: providers[index] ?? primary, trial: false, version: route.version };
  }

  /** The provider took the message. Only a trial writes anything: traffic goes back to the primary. */
  async succeeded(channel: Channel, providers: readonly ProviderName[], pick: ProviderPick): Promise<void> {
    if (!pick.trial) return;
    const route = await this.routes.fresh(channel);
    const from = route?.active ?? first(providers);
    if (await this.store.shift(channel, pick.version, pick.provider, this.clock.now().toISOString())) {
      this.routes.forget(channel);
      await this.countShift(channel, from, pick.provider, this.clock.now().toISOString());
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
      const route = await this.routes.fresh(channel);
      if (route && (await this.store.shift(channel, pick.version, route.active, now.toISOString()))) {
        this.routes.forget(channel);
        logger.warn('provider failover: the primary failed its trial; the cooldown starts again', {
          channel,
          primary: pick.provider,
          active: route.active,
          errorKind: error.kind,
        });
      }
      return;
    }
    const failures = await countRollingFailure(this.store, this.policy, channel, pick.provider, now);
    if (failures <= this.policy.errors) return;
    const route = await this.routes.fresh(channel);
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
      this.routes.forget(channel);
      await this.countShift(channel, pick.provider, next, now.toISOString());
      logger.warn('provider failover: traffic moves to the next provider', {
        channel,
        from: pick.provider,
        to: next,
        failures: Math.round(failures),
        windowSeconds: this.policy.windowSeconds,
        threshold: this.policy.errors,
        lastErrorKind: error.kind,
        event: 'provider-shift',
      });
    }
  }
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
