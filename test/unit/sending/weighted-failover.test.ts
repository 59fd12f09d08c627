import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfiguredProviderDirectory } from '../../../shared/adapters/providers/registry.js';
import { providerEnvSchema } from '../../../shared/config/env.js';
import { ProviderError } from '../../../shared/domain/errors.js';
import type { WeightedProvider } from '../../../shared/domain/provider-list.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../shared/ports/messaging-provider.js';
import type { ProviderName } from '../../../shared/domain/provider-names.js';
import { logger } from '../../../shared/runtime/logger.js';
import { ProviderFailover, type FailoverPolicy } from '../../../shared/sending/provider-failover.js';
import type { WeightedFailover } from '../../../shared/sending/weighted-failover.js';
import { InMemoryProviderHealthStore } from '../../support/in-memory-provider-health.js';
import { FixedClock } from '../../support/in-memory-stores.js';

const SHARES: WeightedProvider[] = [{ name: 'twilio', weight: 80 }, { name: 'aws-sms', weight: 20 }];
const outage = (provider: ProviderName = 'twilio') => new ProviderError(provider, 'connectionFailed', `${provider} answered 503`, { providerCode: 503 });

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
});

function setUp(policy: Partial<FailoverPolicy> = {}) {
  const clock = new FixedClock('2025-03-01T09:00:00.000Z');
  const store = new InMemoryProviderHealthStore();
  // Phase 0: each split starts at the top of its cycle, so the picks are the same every run.
  const failover = new ProviderFailover(store, clock, { errors: 3, windowSeconds: 60, cooldownSeconds: 300, ...policy }, { routeCacheSeconds: 0, random: () => 0 });
  return { clock, store, weighted: failover.weighted, failover };
}

/** One message's bookkeeping: pick, then report `error` (or success). */
async function attempt(weighted: WeightedFailover, error?: (provider: ProviderName) => ProviderError, providers = SHARES) {
  const pick = await weighted.choose('sms', providers);
  if (error) await weighted.failed('sms', providers, pick, error(pick.provider));
  else await weighted.succeeded('sms', providers, pick);
  return pick;
}

async function picksOf(weighted: WeightedFailover, count: number, providers = SHARES): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i += 1) {
    const { provider } = await attempt(weighted, undefined, providers);
    counts[provider] = (counts[provider] ?? 0) + 1;
  }
  return counts;
}

describe('WeightedFailover: healthy providers share by weight', () => {
  it('splits 80:20 exactly over whole cycles', async () => {
    // Prepare
    const { weighted } = setUp();

    // Act
    const counts = await picksOf(weighted, 500);

    // Assess
    expect(counts).toEqual({ twilio: 400, 'aws-sms': 100 });
  });

  it('keeps a provider at its share through failures up to the threshold', async () => {
    // Prepare
    const { weighted } = setUp({ errors: 3 });

    // Act: twilio fails three times (not more than the threshold).
    let twilioFailures = 0;
    while (twilioFailures < 3) {
      const pick = await attempt(weighted, (provider) => outage(provider));
      if (pick.provider === 'twilio') twilioFailures += 1;
    }
    const counts = await picksOf(weighted, 100);

    // Assess
    expect(counts).toEqual({ twilio: 80, 'aws-sms': 20 });
  });
});

describe('WeightedFailover: a provider\'s breaker', () => {
  async function twilioOpened(policy: Partial<FailoverPolicy> = {}) {
    const context = setUp({ errors: 0, ...policy });
    // The first pick (phase 0) is twilio; one counted failure opens it.
    const pick = await attempt(context.weighted, (provider) => outage(provider));
    expect(pick.provider).toBe('twilio');
    return context;
  }

  it('opens when a provider passes the threshold: its share goes to the others, and the shift is counted', async () => {
    // Prepare
    const { weighted, store } = await twilioOpened();

    // Act
    const counts = await picksOf(weighted, 50);

    // Assess
    expect(counts).toEqual({ 'aws-sms': 50 });
    expect((await store.breakers('sms')).map(({ provider, open }) => ({ provider, open }))).toEqual([{ provider: 'twilio', open: true }]);
    expect(await store.shifts('sms')).toEqual([{ channel: 'sms', from: 'twilio', to: 'aws-sms', count: 1, lastAt: '2025-03-01T09:00:00.000Z' }]);
    expect(logger.warn).toHaveBeenCalledWith("provider failover: a provider's share moves to the others", expect.objectContaining({ from: 'twilio', to: ['aws-sms'], event: 'provider-shift' }));
  });

  it('spreads an open provider\'s share over the others by their weights', async () => {
    // Prepare
    const three: WeightedProvider[] = [{ name: 'sandbox', weight: 50 }, { name: 'sandbox-b', weight: 30 }, { name: 'twilio', weight: 20 }];
    const { weighted, store } = setUp({ errors: 0 });
    await attempt(weighted, (provider) => outage(provider), three);

    // Act
    const counts = await picksOf(weighted, 500, three);

    // Assess
    expect(counts).toEqual({ 'sandbox-b': 300, twilio: 200 });
    expect((await store.shifts('sms')).map(({ from, to }) => `${from}→${to}`).sort()).toEqual(['sandbox→sandbox-b', 'sandbox→twilio']);
  });

  it('never opens the last closed breaker: with nowhere to move its share it logs an error', async () => {
    // Prepare
    const { weighted, store } = await twilioOpened();

    // Act: aws-sms, now carrying everything, fails too.
    await attempt(weighted, (provider) => outage(provider));
    const next = await weighted.choose('sms', SHARES);

    // Assess
    expect(next).toMatchObject({ provider: 'aws-sms', trial: false });
    expect((await store.breakers('sms')).filter((breaker) => breaker.open).map((breaker) => breaker.provider)).toEqual(['twilio']);
    expect(logger.error).toHaveBeenCalledWith("provider failover: every other provider is at rest; nowhere to move this one's share", expect.objectContaining({ provider: 'aws-sms' }));
  });

  it('keeps the share with the others until the cooldown is over, then sends one trial while the rest stay put', async () => {
    // Prepare
    const { weighted, clock } = await twilioOpened({ cooldownSeconds: 300 });
    clock.advance(299_000);
    const duringCooldown = await weighted.choose('sms', SHARES);
    clock.advance(1_000);

    // Act: two sends at once, as two invocations would.
    const [first, second] = await Promise.all([weighted.choose('sms', SHARES), weighted.choose('sms', SHARES)]);

    // Assess
    expect(duringCooldown).toMatchObject({ provider: 'aws-sms', trial: false });
    expect(first).toMatchObject({ provider: 'twilio', trial: true });
    expect(second).toMatchObject({ provider: 'aws-sms', trial: false });
  });

  it('closes the breaker when the trial succeeds: the provider gets its share again, and the shift back is counted', async () => {
    // Prepare
    const { weighted, clock, store } = await twilioOpened();
    clock.advance(300_000);

    // Act
    const trial = await attempt(weighted);
    const counts = await picksOf(weighted, 100);

    // Assess
    expect(trial).toMatchObject({ provider: 'twilio', trial: true });
    expect(counts).toEqual({ twilio: 80, 'aws-sms': 20 });
    // Listed as the store lists them: by direction, not in the order they happened.
    expect((await store.shifts('sms')).map(({ from, to, count }) => ({ from, to, count }))).toEqual([
      { from: 'aws-sms', to: 'twilio', count: 1 },
      { from: 'twilio', to: 'aws-sms', count: 1 },
    ]);
  });

  it('treats a per-message verdict on the trial (an invalid number) as the provider answering', async () => {
    // Prepare
    const { weighted, clock, store } = await twilioOpened();
    clock.advance(300_000);

    // Act
    await attempt(weighted, (provider) => new ProviderError(provider, 'invalidRecipient', 'not a mobile number', { providerCode: 21614 }));

    // Assess
    expect((await store.breakers('sms')).map(({ provider, open }) => ({ provider, open }))).toEqual([{ provider: 'twilio', open: false }]);
  });

  it('restarts the cooldown when the trial fails, without counting a shift', async () => {
    // Prepare
    const { weighted, clock, store } = await twilioOpened();
    clock.advance(300_000);

    // Act
    const trial = await attempt(weighted, (provider) => outage(provider));
    clock.advance(299_000);
    const duringNewCooldown = await weighted.choose('sms', SHARES);
    clock.advance(1_000);
    const nextTrial = await weighted.choose('sms', SHARES);

    // Assess
    expect(trial.trial).toBe(true);
    expect(duringNewCooldown).toMatchObject({ provider: 'aws-sms', trial: false });
    expect(nextTrial).toMatchObject({ provider: 'twilio', trial: true });
    expect(await store.shifts('sms')).toHaveLength(1);
  });

  it('does not open twice when two invocations pass the threshold on the same provider', async () => {
    // Prepare
    const { weighted, store } = setUp({ errors: 0 });
    const first = await weighted.choose('sms', SHARES);
    // Both picks on twilio (the split's second would be twilio too; a one-item list makes it plain).
    const second = await weighted.choose('sms', [SHARES[0]!]);

    // Act
    await Promise.all([weighted.failed('sms', SHARES, first, outage()), weighted.failed('sms', SHARES, second, outage())]);

    // Assess
    expect(await store.shifts('sms')).toEqual([expect.objectContaining({ from: 'twilio', to: 'aws-sms', count: 1 })]);
  });
});

/** A provider that answers as the test says. */
class NamedProvider implements MessagingProvider {
  readonly attempts: OutboundText[] = [];
  failing = false;
  constructor(readonly name: ProviderName) {}
  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    this.attempts.push(message);
    if (this.failing) throw outage(this.name);
    return { provider: this.name, providerMessageId: `${this.name}-${this.attempts.length}` };
  }
}

describe('ConfiguredProviderDirectory with a weighted list', () => {
  it('sends by weight, moves the failing provider\'s share to the other, and never resends a failed message elsewhere', async () => {
    // Prepare
    const providers = { twilio: new NamedProvider('twilio'), 'aws-sms': new NamedProvider('aws-sms'), sandbox: new NamedProvider('sandbox') };
    const absent = (name: ProviderName) => () => {
      throw new Error(`no ${name} in this test`);
    };
    const registry: Record<ProviderName, () => MessagingProvider> = {
      twilio: () => providers.twilio,
      'aws-sms': () => providers['aws-sms'],
      sandbox: () => providers.sandbox,
      'sandbox-b': absent('sandbox-b'),
      'whatsapp-cloud': absent('whatsapp-cloud'),
    };
    const { failover } = setUp({ errors: 1 });
    const settings = providerEnvSchema.parse({ SMS_PROVIDERS: 'twilio:80,aws-sms:20' });
    const directory = new ConfiguredProviderDirectory(async () => settings, failover, registry);
    const send = async (i: number) => (await directory.forChannel('sms')).sendText({ messageId: `m-${i}`, to: '+447700900101' as never, channel: 'sms', body: 'hi', statusCallbackUrl: 'https://crier.example/status' });

    // Act
    for (let i = 0; i < 10; i += 1) await send(i);
    providers.twilio.failing = true;
    const outcomes = [];
    for (let i = 10; i < 30; i += 1) outcomes.push(await send(i).then((accepted) => accepted.provider, () => 'failed'));

    // Assess: 8 of the first 10 through twilio (t t a t t, twice); then twilio fails twice (more than 1) and carries nothing more.
    expect(providers.twilio.attempts.slice(0, 8).map((message) => message.messageId)).toEqual(['m-0', 'm-1', 'm-3', 'm-4', 'm-5', 'm-6', 'm-8', 'm-9']);
    expect(outcomes.filter((outcome) => outcome === 'failed')).toHaveLength(2);
    const failedIds = providers.twilio.attempts.slice(8).map((message) => message.messageId);
    const awsSmsIds = new Set(providers['aws-sms'].attempts.map((message) => message.messageId));
    expect(failedIds.filter((id) => awsSmsIds.has(id))).toEqual([]);
    expect(outcomes.slice(-10)).toEqual(Array.from({ length: 10 }, () => 'aws-sms'));
  });
});
