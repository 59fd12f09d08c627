import type { Channel } from '../domain/model.js';
import type { ProviderName } from '../domain/provider-names.js';

/**
 * Which provider carries a channel now, shared by every sender invocation. No route stored means
 * the channel's primary (the first provider listed). `version` goes up with every change, so a
 * change is a conditional write on it and two invocations never both make the same shift.
 */
export interface ChannelRoute {
  active: ProviderName;
  /** When traffic moved to `active` (or its trial of the primary last failed): the cooldown runs from here. */
  since: string;
  version: number;
  /** When one invocation took the half-open trial of the primary; others wait for its outcome. */
  trialStartedAt?: string;
}

/**
 * A provider's breaker in a weighted list, shared by every sender invocation. Open: the provider
 * gets no share of the channel's traffic until one trial message after the cooldown succeeds. No
 * breaker stored means closed. `version` goes up with every change, as a route's does.
 */
export interface ProviderBreaker {
  provider: ProviderName;
  open: boolean;
  /** When it last opened or closed (or its trial last failed): the cooldown runs from here. */
  since: string;
  version: number;
  /** When one invocation took the half-open trial; others wait for its outcome. */
  trialStartedAt?: string;
}

/** How many times traffic moved from one provider to another on a channel. */
export interface ProviderShiftCount {
  channel: Channel;
  from: ProviderName;
  to: ProviderName;
  count: number;
  lastAt: string;
}

/**
 * Provider health shared across invocations: failure counters per provider and fixed window, the
 * channel's route, and the count of shifts. Every write is one conditional or ADD update on one
 * item (dynalite has no transactions, and none are needed).
 */
export interface ProviderHealthStore {
  /**
   * Adds one failure to the provider's counter for the window starting at `windowStart` (epoch
   * seconds) and returns that window's count after the addition and the previous window's count.
   */
  countFailure(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }>;
  route(channel: Channel): Promise<ChannelRoute | undefined>;
  /**
   * Moves the channel to `active` (clearing any trial), if its route is still at `expectedVersion`
   * (0: no route stored yet). False when another invocation changed it first.
   */
  shift(channel: Channel, expectedVersion: number, active: ProviderName, at: string): Promise<boolean>;
  /**
   * Takes the half-open trial: true for exactly one caller while the route is at `expectedVersion`
   * and no trial started after `staleBefore` (a trial whose invocation died is taken over).
   */
  claimTrial(channel: Channel, expectedVersion: number, at: string, staleBefore: string): Promise<boolean>;
  /** The failures counted in the window starting at `windowStart` and in the one before, without adding any. */
  failureCounts(channel: Channel, provider: ProviderName, windowStart: number, windowSeconds: number): Promise<{ current: number; previous: number }>;
  /** The breakers of a weighted list's providers that have ever changed; the others are closed. */
  breakers(channel: Channel): Promise<ProviderBreaker[]>;
  /**
   * Opens or closes a provider's breaker (clearing any trial), if it is still at `expectedVersion`
   * (0: none stored yet). False when another invocation changed it first.
   */
  setBreaker(channel: Channel, provider: ProviderName, expectedVersion: number, open: boolean, at: string): Promise<boolean>;
  /** Takes the half-open trial of an open breaker, as `claimTrial` does for a route. */
  claimBreakerTrial(channel: Channel, provider: ProviderName, expectedVersion: number, at: string, staleBefore: string): Promise<boolean>;
  /** Counts one shift from → to; read by tests and operators. */
  countShift(channel: Channel, from: ProviderName, to: ProviderName, at: string): Promise<void>;
  shifts(channel: Channel): Promise<ProviderShiftCount[]>;
}
