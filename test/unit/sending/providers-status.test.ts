import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/domain/errors.js';
import type { ListedProvider } from '../../../shared/domain/provider-list.js';
import { senderIdentitiesOf, sendersSchema } from '../../../shared/domain/sender-identity.js';
import { providersStatus, type ChannelConfiguration, type SenderIdentitiesResult } from '../../../shared/sending/providers-status.js';
import { aPrincipal } from '../../support/builders.js';
import { InMemoryProviderHealthStore } from '../../support/in-memory-provider-health.js';
import { FixedClock } from '../../support/in-memory-stores.js';

const operator = aPrincipal({ role: 'operator', department: '*' });
const policy = { errors: 50, windowSeconds: 60, cooldownSeconds: 300 };
// 09:00:30: half-way into the window that began at 09:00.
const NOW = '2025-03-01T09:00:30.000Z';
const WINDOW = Date.parse('2025-03-01T09:00:00.000Z') / 1000;

function setUp() {
  return { health: new InMemoryProviderHealthStore(), clock: new FixedClock(NOW) };
}

function configuration(sms: ListedProvider[], whatsapp: ListedProvider[] = [{ name: 'sandbox' }], senders: SenderIdentitiesResult = { identities: [] }) {
  const channels: ChannelConfiguration[] = [
    { channel: 'sms', setting: 'SMS_PROVIDERS', providers: sms },
    { channel: 'whatsapp', setting: 'WHATSAPP_PROVIDER', providers: whatsapp },
  ];
  return { channels, policy, senders };
}

describe('providersStatus', () => {
  it('shows a fresh deployment: the first of an ordered list active, the rest on standby, nothing failed or shifted', async () => {
    // Prepare
    const deps = setUp();

    // Act
    const view = await providersStatus(deps, operator, configuration([{ name: 'twilio' }, { name: 'aws-sms' }]));

    // Assess
    expect(view.failover).toEqual({ ...policy, windowStartedAt: '2025-03-01T09:00:00.000Z' });
    expect(view.channels).toEqual([
      {
        channel: 'sms',
        setting: 'SMS_PROVIDERS',
        mode: 'ordered',
        providers: [
          { name: 'twilio', state: 'active', failures: { current: 0, previous: 0 } },
          { name: 'aws-sms', state: 'standby', failures: { current: 0, previous: 0 } },
        ],
        shifts: [],
        senderIdentities: [],
      },
      {
        channel: 'whatsapp',
        setting: 'WHATSAPP_PROVIDER',
        mode: 'ordered',
        providers: [{ name: 'sandbox', state: 'active', failures: { current: 0, previous: 0 } }],
        shifts: [],
        senderIdentities: [],
      },
    ]);
  });

  it('shows an ordered list failed over: the primary open until its trial is due, or on trial; failures per window; the shift', async () => {
    // Prepare
    const deps = setUp();
    await deps.health.countFailure('sms', 'twilio', WINDOW - 60, 60);
    for (let i = 0; i < 3; i += 1) await deps.health.countFailure('sms', 'twilio', WINDOW, 60);
    await deps.health.shift('sms', 0, 'aws-sms', '2025-03-01T08:58:00.000Z');
    await deps.health.countShift('sms', 'twilio', 'aws-sms', '2025-03-01T08:58:00.000Z');
    const list = configuration([{ name: 'twilio' }, { name: 'aws-sms' }, { name: 'sandbox' }]);

    // Act
    const open = await providersStatus(deps, operator, list);
    await deps.health.claimTrial('sms', 1, '2025-03-01T09:00:10.000Z', '2025-03-01T08:58:10.000Z');
    const onTrial = await providersStatus(deps, operator, list);

    // Assess
    expect(open.channels[0]?.providers).toEqual([
      { name: 'twilio', state: 'open', since: '2025-03-01T08:58:00.000Z', trialDueAt: '2025-03-01T09:03:00.000Z', failures: { current: 3, previous: 1 } },
      { name: 'aws-sms', state: 'active', since: '2025-03-01T08:58:00.000Z', failures: { current: 0, previous: 0 } },
      { name: 'sandbox', state: 'standby', failures: { current: 0, previous: 0 } },
    ]);
    expect(open.channels[0]?.shifts).toEqual([{ from: 'twilio', to: 'aws-sms', count: 1, lastAt: '2025-03-01T08:58:00.000Z' }]);
    expect(onTrial.channels[0]?.providers[0]?.state).toBe('trial');
  });

  it('shows a weighted list by each provider\'s breaker, with its weight', async () => {
    // Prepare
    const deps = setUp();
    await deps.health.setBreaker('sms', 'aws-sms', 0, true, '2025-03-01T08:59:00.000Z');
    await deps.health.setBreaker('sms', 'sandbox', 0, true, '2025-03-01T08:50:00.000Z');
    await deps.health.claimBreakerTrial('sms', 'sandbox', 1, '2025-03-01T09:00:00.000Z', '2025-03-01T08:58:00.000Z');

    // Act
    const view = await providersStatus(deps, operator, configuration([{ name: 'twilio', weight: 60 }, { name: 'aws-sms', weight: 30 }, { name: 'sandbox', weight: 10 }]));

    // Assess
    expect(view.channels[0]).toMatchObject({ mode: 'weighted' });
    expect(view.channels[0]?.providers.map(({ failures: _failures, ...status }) => status)).toEqual([
      { name: 'twilio', weight: 60, state: 'active' },
      { name: 'aws-sms', weight: 30, state: 'open', since: '2025-03-01T08:59:00.000Z', trialDueAt: '2025-03-01T09:04:00.000Z' },
      { name: 'sandbox', weight: 10, state: 'trial', since: '2025-03-01T08:50:00.000Z', trialDueAt: '2025-03-01T08:55:00.000Z' },
    ]);
  });

  it("shows each channel's sender identities as the senders resolve them, or why they cannot be resolved", async () => {
    // Prepare
    const SENDERS = sendersSchema.parse([
      { id: 'youth-sms', provider: 'twilio', channel: 'sms', from: 'YouthInfo', departments: ['youth'] },
      { id: 'main-sms', provider: 'twilio', channel: 'sms', from: '+447700900123' },
    ]);
    const identities = senderIdentitiesOf({ SENDERS }, { sms: ['twilio'], whatsapp: ['sandbox'] });

    // Act
    const resolved = await providersStatus(setUp(), operator, configuration([{ name: 'twilio' }], [{ name: 'sandbox' }], { identities }));
    const unresolved = await providersStatus(setUp(), operator, configuration([{ name: 'twilio' }], [{ name: 'sandbox' }], { problem: 'SENDERS[0].from: is not a number' }));

    // Assess
    const sms = resolved.channels[0]?.senderIdentities ?? [];
    expect(sms.filter(({ provider }) => provider === 'twilio').map(({ id, kind, address, departments }) => ({ id, kind, address, departments }))).toEqual([
      { id: 'youth-sms', kind: 'alphanumeric', address: 'YouthInfo', departments: ['youth'] },
      { id: 'main-sms', kind: 'long_code', address: '+447700900123', departments: undefined },
    ]);
    // Each channel shows its own: the same identities, split by channel.
    const byChannel = resolved.channels.map((channel) => channel.senderIdentities.map(({ id }) => id).sort());
    expect(byChannel).toEqual(['sms', 'whatsapp'].map((channel) => identities.filter((identity) => identity.channel === channel).map(({ id }) => id).sort()));
    expect(resolved).not.toHaveProperty('senderIdentitiesProblem');
    expect(unresolved.senderIdentitiesProblem).toBe('SENDERS[0].from: is not a number');
    expect(unresolved.channels.map((channel) => channel.senderIdentities)).toEqual([[], []]);
  });

  it.each([
    ['a sender key', aPrincipal({ role: 'sender' }), "a sender key may not read the providers' status"],
    ['an approver key', aPrincipal({ role: 'approver' }), "an approver key may not read the providers' status"],
    ['a viewer key', aPrincipal({ role: 'viewer' }), "a viewer key may not read the providers' status"],
  ])('refuses %s: operators only', async (_case, principal, message) => {
    // Act
    const attempt = providersStatus(setUp(), principal, configuration([{ name: 'twilio' }]));

    // Assess
    await expect(attempt).rejects.toThrow(new ForbiddenError(message));
  });
});
