import type { Channel, Principal } from '../domain/model.js';
import type { SenderIdentity } from '../domain/sender-identity.js';
import type { SenderKind } from '../domain/sender-kinds.js';
import { isWeighted, type ListedProvider } from '../domain/provider-list.js';
import type { Clock } from '../ports/clock.js';
import type { ProviderName } from '../domain/provider-names.js';
import type { ChannelRoute, ProviderBreaker, ProviderHealthStore } from '../ports/provider-health.js';
import { authorize } from '../staff/access.js';
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

/**
 * Where a provider stands on its channel. `active`: it carries traffic (the one provider of an
 * ordered list, or one of those sharing a weighted list's). `standby`: further down an ordered list,
 * waiting for the ones before it to fail. `open`: traffic moved off it after too many failures; it
 * rests until its trial. `trial`: one message is testing it now.
 */
export type ProviderState = 'active' | 'standby' | 'open' | 'trial';

/** One provider of a channel's list, as the senders' shared health sees it now. */
export interface ProviderStatus {
  name: ProviderName;
  /** Its share of the channel's traffic, in a weighted list. */
  weight?: number | undefined;
  state: ProviderState;
  /** When it took this state, if it has ever changed. */
  since?: string | undefined;
  /** When an open provider gets its trial message (the cooldown ends). */
  trialDueAt?: string | undefined;
  /** Failures that count towards failover, in the current fixed window and the one before. */
  failures: { current: number; previous: number };
}

/** A sender identity the channel sends from, and its rate. */
export interface SenderIdentityView {
  id: string;
  provider: ProviderName;
  kind: SenderKind;
  address: string;
  /** The number residents see, when the address is an id. */
  number?: string | undefined;
  /** Messages (SMS: segments) a second; absent: unmetered. */
  mps?: number | undefined;
  /** Broadcasts of these departments go from it; absent: the provider's default. */
  departments?: string[] | undefined;
  /** Where it is configured: SENDERS[n], or the setting it was derived from. */
  source: string;
}

/** One channel: its list, each provider's state, the shifts between them, its identities. */
export interface ChannelProviders {
  channel: Channel;
  setting: string;
  mode: 'ordered' | 'weighted';
  providers: ProviderStatus[];
  shifts: { from: ProviderName; to: ProviderName; count: number; lastAt: string }[];
  senderIdentities: SenderIdentityView[];
}

/**
 * What providersStatus answers. Declared here, not taken from the admin API's providersResponse;
 * shared/api/provider-schemas.ts checks that its schema describes this.
 */
export interface ProvidersStatus {
  failover: FailoverPolicy & { windowStartedAt: string };
  channels: ChannelProviders[];
  /** Why the sender identities could not be resolved. */
  senderIdentitiesProblem?: string | undefined;
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
): Promise<ProvidersStatus> {
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
