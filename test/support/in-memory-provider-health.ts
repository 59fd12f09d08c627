import type { Channel } from '../../shared/domain/model.js';
import type { ProviderName } from '../../shared/domain/provider-names.js';
import type { ChannelRoute, ProviderBreaker, ProviderHealthStore, ProviderShiftCount } from '../../shared/ports/provider-health.js';

/** The same contract as the DynamoDB adapter, in memory, for unit tests. */
export class InMemoryProviderHealthStore implements ProviderHealthStore {
  readonly failures = new Map<string, number>();
  private readonly routes = new Map<Channel, ChannelRoute>();
  private readonly shiftCounts = new Map<string, ProviderShiftCount>();
  private readonly breakerItems = new Map<string, ProviderBreaker>();

  async countFailure(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }> {
    const key = `${channel}#${provider}#${windowStart}`;
    const current = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, current);
    return { current, previous: this.failures.get(`${channel}#${provider}#${windowStart - windowSeconds}`) ?? 0 };
  }

  async route(channel: Channel): Promise<ChannelRoute | undefined> {
    const route = this.routes.get(channel);
    return route ? { ...route } : undefined;
  }

  async shift(channel: Channel, expectedVersion: number, active: ProviderName, at: string): Promise<boolean> {
    if ((this.routes.get(channel)?.version ?? 0) !== expectedVersion) return false;
    this.routes.set(channel, { active, since: at, version: expectedVersion + 1 });
    return true;
  }

  async claimTrial(channel: Channel, expectedVersion: number, at: string, staleBefore: string): Promise<boolean> {
    const route = this.routes.get(channel);
    if (!route || route.version !== expectedVersion) return false;
    if (route.trialStartedAt !== undefined && route.trialStartedAt >= staleBefore) return false;
    this.routes.set(channel, { ...route, trialStartedAt: at });
    return true;
  }

  async failureCounts(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }> {
    return {
      current: this.failures.get(`${channel}#${provider}#${windowStart}`) ?? 0,
      previous: this.failures.get(`${channel}#${provider}#${windowStart - windowSeconds}`) ?? 0,
    };
  }

  async breakers(channel: Channel): Promise<ProviderBreaker[]> {
    return [...this.breakerItems.entries()]
      .filter(([key]) => key.startsWith(`${channel}#`))
      .map(([, breaker]) => ({ ...breaker }))
      .sort((a, b) => byCodeUnit(a.provider, b.provider));
  }

  async setBreaker(channel: Channel, provider: ProviderName, expectedVersion: number, open: boolean, at: string): Promise<boolean> {
    const key = `${channel}#${provider}`;
    if ((this.breakerItems.get(key)?.version ?? 0) !== expectedVersion) return false;
    this.breakerItems.set(key, { provider, open, since: at, version: expectedVersion + 1 });
    return true;
  }

  async claimBreakerTrial(channel: Channel, provider: ProviderName, expectedVersion: number, at: string, staleBefore: string): Promise<boolean> {
    const key = `${channel}#${provider}`;
    const breaker = this.breakerItems.get(key);
    if (!breaker || breaker.version !== expectedVersion) return false;
    if (breaker.trialStartedAt !== undefined && breaker.trialStartedAt >= staleBefore) return false;
    this.breakerItems.set(key, { ...breaker, trialStartedAt: at });
    return true;
  }

  async countShift(channel: Channel, from: ProviderName, to: ProviderName, at: string): Promise<void> {
    const key = `${channel}#${from}#${to}`;
    const existing = this.shiftCounts.get(key);
    this.shiftCounts.set(key, { channel, from, to, count: (existing?.count ?? 0) + 1, lastAt: at });
  }

  async shifts(channel: Channel): Promise<ProviderShiftCount[]> {
    // In the DynamoDB store's order: by the item's sort key, from then to.
    return [...this.shiftCounts.values()].filter((shift) => shift.channel === channel).sort((a, b) => byCodeUnit(`${a.from}#${a.to}`, `${b.from}#${b.to}`));
  }
}

/** Compares as DynamoDB compares sort keys: by code unit, not by locale. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
