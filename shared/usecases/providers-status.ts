import type { ChannelProviders, ProviderState, ProviderStatus, ProvidersResponse, SenderIdentityView } from '../api/provider-schemas.js';
import type { Channel, Principal } from '../domain/model.js';
import type { SenderIdentity } from '../domain/sender-identity.js';
import { isWeighted, type ListedProvider } from '../domain/provider-list.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../domain/provider-names.js';
import type { ChannelRoute, ProviderBreaker, ProviderHealthStore } from '../ports/provider-health.js';
import { authorize } from './access.js';
import { failureWindow, trialUnderWay, type FailoverPolicy } from './failover-policy.js';

export interface ProvidersStatusDependencies {
  health: ProviderHealthStore;
  clock: Clock;
}

/** A channel's configuration as the senders read it. */
export interface ChannelConfiguration {
  channel: Channel;
  /** The setting it comes from, for the operator to change (SMS_PROVIDERS, or SMS_PROVIDER alone). */
  setting: string;
  providers: ListedProvider[];
}

/** The deployment's sender identities as the senders resolve them, or why they cannot be. */
export type SenderIdentitiesResult = { identities: readonly SenderIdentity[] } | { problem: string };

/**
 * Operators' view of each channel's providers: what the settings list, and what the senders' shared
 * health says of each now (read from the same items the failover writes). Read-only.
 */
export async function providersStatus(
  deps: ProvidersStatusDependencies,
  principal: Principal,
  configuration: { channels: ChannelConfiguration[]; policy: FailoverPolicy; senders: SenderIdentitiesResult },
): Promise<ProvidersResponse> {
  authorize(principal, 'providers:read');
  const now = deps.clock.now();
  const { windowStart } = failureWindow(now, configuration.policy.windowSeconds);
  const identities = 'identities' in configuration.senders ? configuration.senders.identities : [];
  const channels = await Promise.all(
    configuration.channels.map(async (channel) => ({
      ...(await channelStatus(deps, channel, configuration.policy, now)),
      senderIdentities: identities.filter((identity) => identity.channel === channel.channel).map(identityView),
    })),
  );
  return {
    failover: { ...configuration.policy, windowStartedAt: new Date(windowStart * 1000).toISOString() },
    channels,
    ...('problem' in configuration.senders ? { senderIdentitiesProblem: configuration.senders.problem } : {}),
  };
}

function identityView(identity: SenderIdentity): SenderIdentityView {
  return {
    id: identity.id,
    provider: identity.provider,
    kind: identity.kind,
    address: identity.address,
    ...(identity.number === undefined ? {} : { number: identity.number }),
    ...(identity.mps === undefined ? {} : { mps: identity.mps }),
    ...(identity.departments === undefined ? {} : { departments: [...identity.departments] }),
    source: identity.source,
  };
}

async function channelStatus(
  deps: ProvidersStatusDependencies,
  configuration: ChannelConfiguration,
  policy: FailoverPolicy,
  now: Date,
): Promise<Omit<ChannelProviders, 'senderIdentities'>> {
  const { channel, providers } = configuration;
  const weighted = isWeighted(providers);
  const [route, breakers, shifts] = await Promise.all([
    weighted ? undefined : deps.health.route(channel),
    weighted ? deps.health.breakers(channel) : [],
    deps.health.shifts(channel),
  ]);
  const { windowStart } = failureWindow(now, policy.windowSeconds);
  const stateOf = weighted ? weightedStateOf(breakers, policy, now) : orderedStateOf(providers, route, policy, now);
  const statuses = await Promise.all(
    providers.map(async ({ name, weight }, index): Promise<ProviderStatus> => ({
      name,
      ...(weight === undefined ? {} : { weight }),
      ...stateOf(name, index),
      failures: await deps.health.failureCounts(channel, name, windowStart, policy.windowSeconds),
    })),
  );
  return {
    channel,
    setting: configuration.setting,
    mode: weighted ? 'weighted' : 'ordered',
    providers: statuses,
    shifts: shifts.map(({ from, to, count, lastAt }) => ({ from, to, count, lastAt })),
  };
}

type StateOnly = Pick<ProviderStatus, 'state' | 'since' | 'trialDueAt'>;

/**
 * An ordered list: the route's provider is active (the primary when no route is stored, or the
 * route names a provider no longer listed, as the failover reads it), the ones before it are open,
 * the primary on trial while one is under way, the ones after it on standby.
 */
function orderedStateOf(providers: ListedProvider[], route: ChannelRoute | undefined, policy: FailoverPolicy, now: Date) {
  const active = Math.max(0, route ? providers.findIndex(({ name }) => name === route.active) : 0);
  return (_name: ProviderName, index: number): StateOnly => {
    if (index > active) return { state: 'standby' };
    if (index === active) return { state: 'active', ...(route && active > 0 ? { since: route.since } : {}) };
    if (index > 0 || !route) return { state: 'open' };
    // Only the primary is ever tried again: its trial is due a cooldown after the route last moved.
    return { state: trialUnderWay(route.trialStartedAt, now) ? 'trial' : 'open', since: route.since, trialDueAt: afterCooldown(route.since, policy) };
  };
}

/** A weighted list: each provider by its own breaker. */
function weightedStateOf(breakers: ProviderBreaker[], policy: FailoverPolicy, now: Date) {
  const byProvider = new Map(breakers.map((breaker) => [breaker.provider, breaker]));
  return (name: ProviderName): StateOnly => {
    const breaker = byProvider.get(name);
    if (!breaker) return { state: 'active' };
    if (!breaker.open) return { state: 'active', since: breaker.since };
    const state: ProviderState = trialUnderWay(breaker.trialStartedAt, now) ? 'trial' : 'open';
    return { state, since: breaker.since, trialDueAt: afterCooldown(breaker.since, policy) };
  };
}

function afterCooldown(since: string, policy: FailoverPolicy): string {
  return new Date(Date.parse(since) + policy.cooldownSeconds * 1000).toISOString();
}
