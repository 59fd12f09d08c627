import { defaultPriceTable } from '../../../shared/domain/sms-preview.js';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfiguredProviderDirectory } from '../../../shared/adapters/providers/registry.js';
import { providerEnvSchema } from '../../../shared/config/env.js';
import { ProviderError } from '../../../shared/domain/errors.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../shared/ports/messaging-provider.js';
import type { ProviderName } from '../../../shared/domain/provider-names.js';
import { logger } from '../../../shared/runtime/logger.js';
import { ProviderFailover } from '../../../shared/sending/provider-failover.js';
import { broadcastMessageId, sendBroadcastBatch, type SendDependencies } from '../../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aPhone, broadcastSettings, inboundEvidence } from '../../support/builders.js';
import { InMemoryProviderHealthStore } from '../../support/in-memory-provider-health.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';
import { sendingForTests } from '../../support/in-memory-pacing.js';

const alice = aPhone(101);
const bob = aPhone(102);
const BROADCAST_ID = '01jbroadcast0000000000000a';

/** A provider of a given name that answers each message as the test says. */
class NamedProvider implements MessagingProvider {
  readonly attempts: OutboundText[] = [];
  answer: (message: OutboundText) => ProviderAcceptance | Error = () => ({ provider: this.name, providerMessageId: `${this.name}-${this.attempts.length}` });
  constructor(readonly name: ProviderName) {}
  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    this.attempts.push(message);
    const answer = this.answer(message);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

async function setUp() {
  const stores = inMemoryStores();
  const clock = new FixedClock();
  await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.' }));
  for (const phone of [alice, bob]) await stores.subscribers.subscribe(phone, 'sms', 'traffic', clock.now().toISOString(), inboundEvidence());
  const primary = new NamedProvider('sandbox');
  const secondary = new NamedProvider('sandbox-b');
  const health = new InMemoryProviderHealthStore();
  // One unwell failure is enough to shift, so each step of the story is one send.
  const failover = new ProviderFailover(health, clock, { errors: 0, windowSeconds: 60, cooldownSeconds: 300 }, { routeCacheSeconds: 0 });
  const settings = providerEnvSchema.parse({ SMS_PROVIDERS: 'sandbox,sandbox-b' });
  const byName: Partial<Record<ProviderName, MessagingProvider>> = { sandbox: primary, 'sandbox-b': secondary };
  const registry = Object.fromEntries(
    (['sandbox', 'sandbox-b', 'twilio', 'whatsapp-cloud', 'aws-sms'] as const).map((name) => [name, () => byName[name] ?? new NamedProvider(name)]),
  ) as Record<ProviderName, () => MessagingProvider>;
  const deps: SendDependencies = {
    stores,
    clock,
    ids: new SequentialIds(),
    providers: new ConfiguredProviderDirectory(async () => settings, failover, registry),
    prices: defaultPriceTable,
    statusCallbackBaseUrl: 'https://crier.example.gov.uk/webhooks/twilio/status',
    window: broadcastSettings().window,
    ...sendingForTests(new FixedClock()),
  };
  return { deps, stores, primary, secondary, health };
}

const job = () => aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'sms' }] });

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
});

describe('sending through failover', () => {
  it('retries a batch the primary could not take through the secondary: everyone once, nobody twice', async () => {
    // Prepare
    const { deps, stores, primary, secondary } = await setUp();
    primary.answer = () => new ProviderError('sandbox', 'connectionFailed', 'sandbox answered 503', { providerCode: 503 });

    // Act: the first delivery fails on the primary and hands the batch back; it comes out again.
    await sendBroadcastBatch(deps, job());
    const afterFirst = await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice));
    await sendBroadcastBatch(deps, job());
    // A redelivery of the same batch sends nothing again.
    await sendBroadcastBatch(deps, job());

    // Assess
    expect(afterFirst).toBeUndefined();
    expect(primary.attempts.map((message) => message.to)).toEqual([alice]);
    expect(secondary.attempts.map((message) => message.to)).toEqual([alice, bob]);
    for (const phone of [alice, bob]) {
      expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, phone))).toMatchObject({ status: 'sent', provider: 'sandbox-b' });
    }
  });

  it('never resends through the secondary a message whose outcome at the primary is unknown', async () => {
    // Prepare
    const { deps, stores, primary, secondary } = await setUp();
    primary.answer = (message) =>
      message.to === alice ? new ProviderError('sandbox', 'outcomeUnknown', 'no answer in time') : { provider: 'sandbox', providerMessageId: 'SB1' };

    // Act
    await sendBroadcastBatch(deps, job());
    await sendBroadcastBatch(deps, job());

    // Assess: the timeout counted towards failover (bob went through the secondary), alice was not resent.
    expect(primary.attempts.map((message) => message.to)).toEqual([alice]);
    expect(secondary.attempts.map((message) => message.to)).toEqual([bob]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'failed', errorCode: 'outcomeUnknown' });
  });

  it('honours an opt-out the secondary reported once traffic is back on the primary', async () => {
    // Prepare: traffic is on the secondary, which reports alice opted out at the provider.
    const { deps, stores, primary, secondary } = await setUp();
    primary.answer = () => new ProviderError('sandbox', 'connectionFailed', 'sandbox answered 503', { providerCode: 503 });
    secondary.answer = (message) =>
      message.to === alice
        ? new ProviderError('sandbox-b', 'recipientOptedOut', 'the recipient replied STOP at the provider', { providerCode: 21610 })
        : { provider: 'sandbox-b', providerMessageId: 'B1' };
    await sendBroadcastBatch(deps, job());
    await sendBroadcastBatch(deps, job());
    // The primary has recovered, and traffic has moved back to it after the cooldown.
    primary.answer = (message) => ({ provider: 'sandbox', providerMessageId: `A-${message.to}` });
    (deps.clock as FixedClock).advance(300_000);
    await stores.broadcasts.create(aBroadcast({ id: '01jbroadcast0000000000000b', body: 'The A470 is clear.' }));
    primary.attempts.length = 0;

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: '01jbroadcast0000000000000b', recipients: [{ phone: bob, channel: 'sms' }, { phone: alice, channel: 'sms' }] }));

    // Assess
    expect(primary.attempts.map((message) => message.to)).toEqual([bob]);
    expect(await stores.messages.get(broadcastMessageId('01jbroadcast0000000000000b', alice))).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    expect((await stores.subscribers.profilesOf([alice])).get(alice)?.optedOut.sms).toBeTypeOf('string');
  });
});
