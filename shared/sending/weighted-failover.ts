import type { ProviderError } from '../domain/errors.js';
import type { Channel } from '../domain/model.js';
import type { WeightedProvider } from '../domain/provider-list.js';
import { SmoothWeightedSplit } from './weighted-split.js';
import { noMetrics, type Metrics } from '../platform/metrics.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../domain/provider-names.js';
import type { ProviderBreaker, ProviderHealthStore } from '../ports/provider-health.js';
import { logger } from '../runtime/logger.js';
import {
  countRollingFailure,
  countsTowardsFailover,
  HealthReadCache,
  staleTrialBefore,
  type FailoverPolicy,
  type ProviderPick,
} from './failover-policy.js';

/**
 * A weighted list's providers sharing a channel's traffic (`twilio:80,aws-sms:20`), each behind
 * its own breaker shared by every invocation through the `ProviderHealthStore`: closed (it gets its
 * share) → open (more than `errors` unwell failures in the rolling window: its share goes to the
 * others) → half-open (after the cooldown one message goes to it; success closes the breaker,
 * failure restarts the cooldown). The same thresholds and trial as ordered failover.
 *
 * The last closed breaker never opens: with nowhere to move its share, the failures are logged as
 * an error instead, as ordered failover does for its last provider.
 */
export class WeightedFailover {
  private readonly breakers: HealthReadCache<Map<ProviderName, ProviderBreaker>>;
  private readonly splits = new Map<Channel, SmoothWeightedSplit<ProviderName>>();
  private readonly random: () => number;
  private readonly metrics: Metrics;

  constructor(
    private readonly store: ProviderHealthStore,
    private readonly clock: Clock,
    readonly policy: FailoverPolicy,
    options: { cacheMs: number; random?: () => number; metrics?: Metrics },
  ) {
    this.random = options.random ?? Math.random;
    this.metrics = options.metrics ?? noMetrics;
    this.breakers = new HealthReadCache(
      clock,
      async (channel) => new Map((await store.breakers(channel)).map((breaker) => [breaker.provider, breaker])),
      options.cacheMs,
    );
  }

  /** The provider the next message on this channel goes through. */
  async choose(channel: Channel, providers: readonly WeightedProvider[]): Promise<ProviderPick> {
    const breakers = await this.breakers.cached(channel);
    const now = this.clock.now();
    for (const { name } of providers) {
      const breaker = breakers.get(name);
      if (!breaker?.open || !this.rested(breaker, now)) continue;
      // Rested by what this function last read: read afresh, then race for the trial.
      const fresh = (await this.breakers.fresh(channel)).get(name);
      if (fresh?.open && this.rested(fresh, now)
        && (await this.store.claimBreakerTrial(channel, name, fresh.version, now.toISOString(), staleTrialBefore(now)))) {
        this.breakers.forget(channel);
        logger.info('provider failover: trying a provider at rest again', { channel, provider: name });
        return { provider: name, trial: true, version: fresh.version };
      }
    }
    const closed = providers.filter(({ name }) => !breakers.get(name)?.open);
    // Every breaker open (two opened at once, each seeing the other closed): none is better than
    // another, so all share by weight until a trial closes one.
    const provider = this.splitOf(channel).next(closed.length > 0 ? closed : providers);
    return { provider, trial: false, version: breakers.get(provider)?.version ?? 0 };
  }

  /** The provider took the message. Only a trial writes anything: the breaker closes and the provider gets its share again. */
  async succeeded(channel: Channel, providers: readonly WeightedProvider[], pick: ProviderPick): Promise<void> {
    if (!pick.trial) return;
    const at = this.clock.now().toISOString();
    if (!(await this.store.setBreaker(channel, pick.provider, pick.version, false, at))) return;
    this.breakers.forget(channel);
    // Its share comes back from each provider that carried it.
    const givers = await this.closedOthers(channel, providers, pick.provider);
    await Promise.all(givers.map((from) => this.countShift(channel, from, pick.provider, at)));
    logger.warn('provider failover: a provider at rest answered its trial; it gets its share again', {
      channel,
      from: givers,
      to: pick.provider,
      event: 'provider-shift',
    });
  }

  /** The provider refused or failed the message. Counts it if it shows the provider unwell, and opens its breaker when too many do. */
  async failed(channel: Channel, providers: readonly WeightedProvider[], pick: ProviderPick, error: ProviderError): Promise<void> {
    if (!countsTowardsFailover[error.kind]) {
      // A verdict on one message: the provider answered its trial, so it is up again.
      if (pick.trial) await this.succeeded(channel, providers, pick);
      return;
    }
    const now = this.clock.now();
    if (pick.trial) {
      // Still unwell: it stays open and the cooldown starts again.
      if (await this.store.setBreaker(channel, pick.provider, pick.version, true, now.toISOString())) {
        this.breakers.forget(channel);
        logger.warn('provider failover: a provider at rest failed its trial; the cooldown starts again', {
          channel,
          provider: pick.provider,
          errorKind: error.kind,
        });
      }
      return;
    }
    const failures = await countRollingFailure(this.store, this.policy, channel, pick.provider, now);
    if (failures <= this.policy.errors) return;
    const breaker = (await this.breakers.fresh(channel)).get(pick.provider);
    // Another invocation has already opened it.
    if (breaker?.open) return;
    const takers = await this.closedOthers(channel, providers, pick.provider);
    if (takers.length === 0) {
      logger.error('provider failover: every other provider is at rest; nowhere to move this one\'s share', {
        channel,
        provider: pick.provider,
        failures: Math.round(failures),
      });
      return;
    }
    if (!(await this.store.setBreaker(channel, pick.provider, breaker?.version ?? 0, true, now.toISOString()))) return;
    this.breakers.forget(channel);
    await Promise.all(takers.map((to) => this.countShift(channel, pick.provider, to, now.toISOString())));
    logger.warn("provider failover: a provider's share moves to the others", {
      channel,
      from: pick.provider,
      to: takers,
      failures: Math.round(failures),
      windowSeconds: this.policy.windowSeconds,
      threshold: this.policy.errors,
      lastErrorKind: error.kind,
      event: 'provider-shift',
    });
  }

  /** A shift, counted where the providers view reads it and where the dashboard does. */
  private async countShift(channel: Channel, from: ProviderName, to: ProviderName, at: string): Promise<void> {
    await this.store.countShift(channel, from, to, at);
    this.metrics.record('FailoverShifts', { channel, from, to });
  }

  private rested(breaker: ProviderBreaker, now: Date): boolean {
    return now.getTime() - Date.parse(breaker.since) >= this.policy.cooldownSeconds * 1000;
  }

  /** The providers other than `provider` whose breakers are closed, as stored now. */
  private async closedOthers(channel: Channel, providers: readonly WeightedProvider[], provider: ProviderName): Promise<ProviderName[]> {
    const breakers = await this.breakers.cached(channel);
    return providers.map(({ name }) => name).filter((name) => name !== provider && !breakers.get(name)?.open);
  }

  private splitOf(channel: Channel): SmoothWeightedSplit<ProviderName> {
    let split = this.splits.get(channel);
    if (!split) {
      split = new SmoothWeightedSplit<ProviderName>(this.random);
      this.splits.set(channel, split);
    }
    return split;
  }
}
