import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfiguredProviderDirectory, providersFor } from '../../../shared/adapters/providers/registry.js';
import { providerEnvSchema, failoverEnvSchema } from '../../../shared/config/env.js';
import { ProviderError, providerErrorKinds, type ProviderErrorKind } from '../../../shared/domain/errors.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../shared/ports/messaging-provider.js';
import type { ProviderName } from '../../../shared/domain/provider-names.js';
import { logger } from '../../../shared/runtime/logger.js';
import { countsTowardsFailover, ProviderFailover, rollingCount, type FailoverPolicy } from '../../../shared/sending/provider-failover.js';
import { InMemoryProviderHealthStore } from '../../support/in-memory-provider-health.js';
import { FixedClock } from '../../support/in-memory-stores.js';

const SMS: ProviderName[] = ['twilio', 'aws-sms'];
const outage = () => new ProviderError('twilio', 'connectionFailed', 'twilio answered 503', { providerCode: 503 });

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
});

function setUp(policy: Partial<FailoverPolicy> = {}) {
  // The clock starts at the top of a minute, so fixed 60-second windows line up with the test's steps.
  const clock = new FixedClock('2025-03-01T09:00:00.000Z');
  const store = new InMemoryProviderHealthStore();
  const failover = new ProviderFailover(store, clock, { errors: 3, windowSeconds: 60, cooldownSeconds: 300, ...policy }, { routeCacheSeconds: 0 });
  return { clock, store, failover };
}

/** Sends one message's worth of bookkeeping: pick a provider, then report `error` (or success). */
async function attempt(failover: ProviderFailover, error?: ProviderError, providers = SMS) {
  const pick = await failover.choose('sms', providers);
  if (error) await failover.failed('sms', providers, pick, error);
  else await failover.succeeded('sms', providers, pick);
  return pick;
}

describe('countsTowardsFailover: which provider errors say the provider is unwell', () => {
  it.each<[ProviderErrorKind, boolean]>([
    ['connectionFailed', true],
    ['outcomeUnknown', true],
    ['misconfigured', true],
    ['throttled', false],
    ['recipientOptedOut', false],
    ['invalidRecipient', false],
    ['windowClosed', false],
    ['rejected', false],
  ])('%s counts: %s', async (kind, counts) => {
    // Prepare: one counted failure is enough to shift.
    const { failover } = setUp({ errors: 0 });

    // Act
    await attempt(failover, new ProviderError('twilio', kind, `a ${kind} failure`));
    const next = await failover.choose('sms', SMS);

    // Assess
    expect(countsTowardsFailover[kind]).toBe(counts);
    expect(next.provider).toBe(counts ? 'aws-sms' : 'twilio');
  });

  it('has a row for every error kind', () => {
    expect(Object.keys(countsTowardsFailover).sort()).toEqual(Object.keys(providerErrorKinds).sort());
  });
});

describe('ProviderFailover: threshold and rolling window', () => {
  it('keeps the primary up to the threshold and shifts on the failure that passes it, logging and counting the shift once', async () => {
    // Prepare
    const { failover, store } = setUp({ errors: 3 });
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const picks: ProviderName[] = [];
    for (let i = 0; i < 3; i += 1) picks.push((await attempt(failover, outage())).provider);
    const beforeShift = await failover.choose('sms', SMS);
    await attempt(failover, outage());
    const afterShift = await failover.choose('sms', SMS);

    // Assess
    expect(picks).toEqual(['twilio', 'twilio', 'twilio']);
    expect(beforeShift.provider).toBe('twilio');
    expect(afterShift).toMatchObject({ provider: 'aws-sms', trial: false });
    expect(await store.shifts('sms')).toEqual([{ channel: 'sms', from: 'twilio', to: 'aws-sms', count: 1, lastAt: '2025-03-01T09:00:00.000Z' }]);
    expect(warn).toHaveBeenCalledWith('provider failover: traffic moves to the next provider', expect.objectContaining({
      channel: 'sms', from: 'twilio', to: 'aws-sms', threshold: 3, lastErrorKind: 'connectionFailed', event: 'provider-shift',
    }));
  });

  it('counts failures per channel: an SMS outage leaves WhatsApp on its primary', async () => {
    // Prepare
    const { failover } = setUp({ errors: 0 });

    // Act
    await attempt(failover, outage());

    // Assess
    expect((await failover.choose('sms', SMS)).provider).toBe('aws-sms');
    expect((await failover.choose('whatsapp', ['whatsapp-cloud', 'twilio'])).provider).toBe('whatsapp-cloud');
  });

  it('reads the window as rolling: failures late in one window still count early in the next, and fade out', async () => {
    // Prepare: three failures at 09:00:50, late in the first window.
    const { failover, clock } = setUp({ errors: 3 });
    clock.advance(50_000);
    for (let i = 0; i < 3; i += 1) await attempt(failover, outage());

    // Act: one more at 09:01:55, when the rolling window holds only 5 s of the first: 1 + 3 × 5/60.
    clock.advance(65_000);
    await attempt(failover, outage());
    const late = await failover.choose('sms', SMS);
    // And one at 09:02:05, now counting 10 s back into a window with 1 failure: 1 + 1 × 55/60 = 1.9.
    clock.advance(10_000);
    await attempt(failover, outage());
    const later = await failover.choose('sms', SMS);

    // Assess
    expect(late.provider).toBe('twilio');
    expect(later.provider).toBe('twilio');
  });

  it('shifts when failures straddle two windows but fall within one rolling window', async () => {
    // Prepare: three failures at 09:00:50.
    const { failover, clock } = setUp({ errors: 3 });
    clock.advance(50_000);
    for (let i = 0; i < 3; i += 1) await attempt(failover, outage());

    // Act: one at 09:01:05: 1 + 3 × 55/60 = 3.75, more than 3.
    clock.advance(15_000);
    await attempt(failover, outage());

    // Assess
    expect((await failover.choose('sms', SMS)).provider).toBe('aws-sms');
  });

  it.each([
    [0, 0, 0, 0],
    [4, 0, 0.5, 4],
    [2, 4, 0.25, 5],
    [0, 6, 1, 0],
  ])('rollingCount(%i current, %i previous, %f of the window gone) is %f', (current, previous, share, expected) => {
    expect(rollingCount(current, previous, share)).toBe(expected);
  });
});

describe('ProviderFailover: cooldown and the half-open trial', () => {
  async function failedOver(policy: Partial<FailoverPolicy> = {}) {
    const context = setUp({ errors: 0, cooldownSeconds: 300, ...policy });
    await attempt(context.failover, outage());
    return context;
  }

  it('keeps traffic on the next provider until the cooldown is over', async () => {
    // Prepare
    const { failover, clock } = await failedOver();

    // Act
    clock.advance(299_000);
    const pick = await failover.choose('sms', SMS);

    // Assess
    expect(pick).toMatchObject({ provider: 'aws-sms', trial: false });
  });

  it('after the cooldown sends one trial to the primary while the rest stay on the next provider', async () => {
    // Prepare
    const { failover, clock } = await failedOver();
    clock.advance(300_000);

    // Act: two sends at once, as two invocations would.
    const [first, second] = await Promise.all([failover.choose('sms', SMS), failover.choose('sms', SMS)]);

    // Assess
    expect(first).toMatchObject({ provider: 'twilio', trial: true });
    expect(second).toMatchObject({ provider: 'aws-sms', trial: false });
  });

  it('moves traffic back to the primary when its trial succeeds, and counts the shift back', async () => {
    // Prepare
    const { failover, clock, store } = await failedOver();
    clock.advance(300_000);

    // Act
    const trial = await attempt(failover);
    const next = await failover.choose('sms', SMS);

    // Assess
    expect(trial).toMatchObject({ provider: 'twilio', trial: true });
    expect(next).toMatchObject({ provider: 'twilio', trial: false });
    // Listed as the store lists them: by direction, not in the order they happened.
    expect((await store.shifts('sms')).map(({ from, to, count }) => ({ from, to, count }))).toEqual([
      { from: 'aws-sms', to: 'twilio', count: 1 },
      { from: 'twilio', to: 'aws-sms', count: 1 },
    ]);
  });

  it('treats a per-message verdict on the trial (an invalid number) as the primary answering', async () => {
    // Prepare
    const { failover, clock } = await failedOver();
    clock.advance(300_000);

    // Act
    await attempt(failover, new ProviderError('twilio', 'invalidRecipient', 'not a mobile number', { providerCode: 21614 }));

    // Assess
    expect((await failover.choose('sms', SMS)).provider).toBe('twilio');
  });

  it('restarts the cooldown when the trial fails, without counting a shift', async () => {
    // Prepare
    const { failover, clock, store } = await failedOver();
    clock.advance(300_000);

    // Act
    const trial = await attempt(failover, outage());
    clock.advance(299_000);
    const duringNewCooldown = await failover.choose('sms', SMS);
    clock.advance(1_000);
    const nextTrial = await failover.choose('sms', SMS);

    // Assess
    expect(trial.trial).toBe(true);
    expect(duringNewCooldown).toMatchObject({ provider: 'aws-sms', trial: false });
    expect(nextTrial).toMatchObject({ provider: 'twilio', trial: true });
    expect(await store.shifts('sms')).toHaveLength(1);
  });

  it('hands the trial to another invocation when the one that took it never reported back', async () => {
    // Prepare
    const { failover, clock } = await failedOver();
    clock.advance(300_000);
    await failover.choose('sms', SMS);

    // Act
    clock.advance(60_000);
    const whileTrialRuns = await failover.choose('sms', SMS);
    clock.advance(61_000);
    const afterLease = await failover.choose('sms', SMS);

    // Assess
    expect(whileTrialRuns.trial).toBe(false);
    expect(afterLease).toMatchObject({ provider: 'twilio', trial: true });
  });

  it('walks down a list of three, and logs an error rather than shift when the last is failing too', async () => {
    // Prepare
    const providers: ProviderName[] = ['sandbox', 'sandbox-b', 'twilio'];
    const { failover } = setUp({ errors: 0 });
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);

    // Act
    const picks: ProviderName[] = [];
    for (let i = 0; i < 4; i += 1) picks.push((await attempt(failover, outage(), providers)).provider);

    // Assess
    expect(picks).toEqual(['sandbox', 'sandbox-b', 'twilio', 'twilio']);
    expect(error).toHaveBeenCalledWith('provider failover: the last provider listed is failing too; nowhere to shift', expect.objectContaining({ provider: 'twilio' }));
  });

  it('does not shift twice when two invocations pass the threshold on the same provider', async () => {
    // Prepare
    const { failover, store } = setUp({ errors: 0 });
    const first = await failover.choose('sms', SMS);
    const second = await failover.choose('sms', SMS);

    // Act
    await Promise.all([failover.failed('sms', SMS, first, outage()), failover.failed('sms', SMS, second, outage())]);

    // Assess
    expect((await failover.choose('sms', SMS)).provider).toBe('aws-sms');
    expect(await store.shifts('sms')).toEqual([expect.objectContaining({ from: 'twilio', to: 'aws-sms', count: 1 })]);
  });
});

/** A provider of a given name that answers as the test says. */
class NamedProvider implements MessagingProvider {
  readonly attempts: OutboundText[] = [];
  answer: () => ProviderAcceptance | Error = () => ({ provider: this.name, providerMessageId: `${this.name}-${this.attempts.length}` });
  constructor(readonly name: ProviderName) {}
  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    this.attempts.push(message);
    const answer = this.answer();
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

function registryOf(...providers: NamedProvider[]) {
  const byName = new Map(providers.map((provider) => [provider.name, provider]));
  const entry = (name: ProviderName) => () => {
    const provider = byName.get(name);
    if (!provider) throw new Error(`no ${name} in this test`);
    return provider;
  };
  return {
    sandbox: entry('sandbox'),
    'sandbox-b': entry('sandbox-b'),
    twilio: entry('twilio'),
    'whatsapp-cloud': entry('whatsapp-cloud'),
    'aws-sms': entry('aws-sms'),
  };
}

const message: OutboundText = { messageId: 'm-1', to: '+447700900101' as never, channel: 'sms', body: 'hi', statusCallbackUrl: 'https://crier.example/status' };

describe('ConfiguredProviderDirectory with failover', () => {
  it('sends through the next provider once the primary has failed over, and a test broadcast through the sandbox', async () => {
    // Prepare
    const twilio = new NamedProvider('twilio');
    const awsSms = new NamedProvider('aws-sms');
    const sandbox = new NamedProvider('sandbox');
    twilio.answer = outage;
    const { failover } = setUp({ errors: 0 });
    const settings = providerEnvSchema.parse({ SMS_PROVIDERS: 'twilio,aws-sms' });
    const directory = new ConfiguredProviderDirectory(async () => settings, failover, registryOf(twilio, awsSms, sandbox));

    // Act
    const first = directory.forChannel('sms').then((provider) => provider.sendText(message));
    await expect(first).rejects.toThrow(ProviderError);
    const second = await (await directory.forChannel('sms')).sendText(message);
    const test = await (await directory.forChannel('sms', { testMode: true })).sendText(message);

    // Assess
    expect(twilio.attempts).toHaveLength(1);
    expect(second.provider).toBe('aws-sms');
    expect(test.provider).toBe('sandbox');
  });

  it('keeps a send the provider took as sent when recording its outcome fails', async () => {
    // Prepare
    const awsSms = new NamedProvider('aws-sms');
    const twilio = new NamedProvider('twilio');
    const { store, failover, clock } = setUp({ errors: 0 });
    await store.shift('sms', 0, 'aws-sms', clock.now().toISOString());
    clock.advance(300_000);
    vi.spyOn(store, 'shift').mockRejectedValue(new Error('DynamoDB is having a moment'));
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    const directory = new ConfiguredProviderDirectory(
      async () => providerEnvSchema.parse({ SMS_PROVIDERS: 'twilio,aws-sms' }),
      failover,
      // The sandbox carries WhatsApp (the default): every listed provider is built up front.
      registryOf(twilio, awsSms, new NamedProvider('sandbox')),
    );

    // Act: the trial goes to twilio, which takes it; moving traffic back fails.
    const accepted = await (await directory.forChannel('sms')).sendText(message);

    // Assess
    expect(accepted.provider).toBe('twilio');
    expect(logger.error).toHaveBeenCalledWith('provider failover: could not record a send outcome', expect.anything());
  });

  it('with a single provider consults no health store at all', async () => {
    // Prepare
    const twilio = new NamedProvider('twilio');
    const { store, failover } = setUp();
    const route = vi.spyOn(store, 'route');
    const directory = new ConfiguredProviderDirectory(async () => providerEnvSchema.parse({ SMS_PROVIDER: 'twilio' }), failover, registryOf(twilio, new NamedProvider('sandbox')));

    // Act
    const provider = await directory.forChannel('sms');

    // Assess
    expect(provider).toBe(twilio);
    expect(route).not.toHaveBeenCalled();
  });
});

describe('providerEnvSchema: provider lists', () => {
  it.each<[Record<string, string>, 'sms' | 'whatsapp', ProviderName[]]>([
    [{}, 'sms', ['sandbox']],
    [{ SMS_PROVIDER: 'twilio' }, 'sms', ['twilio']],
    [{ SMS_PROVIDERS: 'twilio,aws-sms' }, 'sms', ['twilio', 'aws-sms']],
    [{ SMS_PROVIDERS: ' twilio , aws-sms ' }, 'sms', ['twilio', 'aws-sms']],
    [{ SMS_PROVIDER: 'twilio', SMS_PROVIDERS: 'aws-sms,twilio' }, 'sms', ['aws-sms', 'twilio']],
    [{ WHATSAPP_PROVIDER: 'whatsapp-cloud' }, 'whatsapp', ['whatsapp-cloud']],
    [{ WHATSAPP_PROVIDERS: 'whatsapp-cloud,twilio' }, 'whatsapp', ['whatsapp-cloud', 'twilio']],
    [{ WHATSAPP_PROVIDERS: 'sandbox,sandbox-b' }, 'whatsapp', ['sandbox', 'sandbox-b']],
  ])('%o gives %s the providers %o', (input, channel, expected) => {
    expect(providersFor(providerEnvSchema.parse(input), channel)).toEqual(expected);
  });

  it.each([
    ['SMS_PROVIDERS', 'twilio,twilio', /must not name a provider twice/],
    ['SMS_PROVIDERS', 'twilio,whatsapp-cloud', /twilio, aws-sms|expected one of/i],
    ['SMS_PROVIDERS', ' , ', /must name at least one/],
    ['WHATSAPP_PROVIDERS', 'whatsapp-cloud,aws-sms', /.+/],
  ])('refuses %s=%s with an error naming the variable', (name, value, message) => {
    // Act
    const result = providerEnvSchema.safeParse({ [name]: value });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(name);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('defaults the thresholds to 50 failures in 60 seconds and a 300-second cooldown, and refuses zero', () => {
    expect(failoverEnvSchema.parse({})).toEqual({ FAILOVER_ERRORS: 50, FAILOVER_WINDOW_SECONDS: 60, FAILOVER_COOLDOWN_SECONDS: 300 });
    expect(failoverEnvSchema.safeParse({ FAILOVER_ERRORS: '0' }).error?.issues[0]?.path).toEqual(['FAILOVER_ERRORS']);
  });
});
