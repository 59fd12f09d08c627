import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

const COOLDOWN_SECONDS = 5;

/**
 * Failover on the local stack: SMS goes through `sandbox`, then `sandbox-b`. The primary sandbox
 * fails every send; the secondary takes over, and every resident gets the broadcast exactly once.
 * When the primary recovers, one trial after the cooldown moves traffic back to it.
 */
describe('provider failover on the local stack', () => {
  const authToken = 'e2e-failover-token';
  const residents = Array.from({ length: 8 }, (_, i) => `+4477009002${String(i).padStart(2, '0')}`);
  let stack: LocalStack;
  let client: LocalStackClient;
  let health: DynamoProviderHealthStore;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0, failureRateB: 0 },
      settings: {
        smsProviders: [{ name: 'sandbox' }, { name: 'sandbox-b' }],
        // Two failures in the window move SMS on: the test need not wait for fifty.
        failover: { errors: 1, windowSeconds: 60, cooldownSeconds: COOLDOWN_SECONDS },
      },
    });
    client = new LocalStackClient(stack, authToken);
    health = new DynamoProviderHealthStore(awsClients().documents, stack.tableName);
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
    await Promise.all(residents.map((phone) => client.text(phone, 'JOIN TRAFFIC')));
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function outboxOf(): Promise<{ to: string; messageId: string; provider: string }[]> {
    const response = await fetch(`${stack.baseUrl}/sandbox/messages`);
    return ((await response.json()) as { messages: { to: string; messageId: string; provider: string }[] }).messages;
  }

  it('confirmed every resident through the primary while it was well', async () => {
    // Assess
    const outbox = await outboxOf();
    expect(outbox.map((message) => message.to).sort()).toEqual([...residents].sort());
    expect(new Set(outbox.map((message) => message.provider))).toEqual(new Set(['sandbox']));
    expect(await health.shifts('sms')).toEqual([]);
  });

  it('moves to the secondary when the primary fails every send, and every resident gets the broadcast exactly once', async () => {
    // Prepare
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });
    stack.sandbox.setFailureRate('sandbox', 1);
    const failedBefore = stack.sandbox.stats.failed;

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'The A470 is closed at Storey Arms.', priority: 'urgent' });
    await stack.settled(60_000);
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);

    // Assess: nothing lost, nothing doubled, all of it through the secondary.
    expect(created.status).toBe(201);
    const outbox = await outboxOf();
    expect(outbox.map((message) => message.to).sort()).toEqual([...residents].sort());
    expect(new Set(outbox.map((message) => message.messageId)).size).toBe(residents.length);
    expect(new Set(outbox.map((message) => message.provider))).toEqual(new Set(['sandbox-b']));
    expect(stack.sandbox.stats.failed - failedBefore).toBeGreaterThanOrEqual(2);
    expect(broadcast.json).toMatchObject({ status: 'sent', counts: { targeted: residents.length, sent: residents.length, failed: 0, skipped: 0 } });
    expect((await health.route('sms'))?.active).toBe('sandbox-b');
    expect(await health.shifts('sms')).toEqual([expect.objectContaining({ from: 'sandbox', to: 'sandbox-b', count: 1 })]);
    // And operators see it: the primary resting until its trial, its failures, the shift.
    const view = await client.api('GET', '/v1/providers');
    const sms = view.json.channels.find((channel: { channel: string }) => channel.channel === 'sms');
    expect(sms.providers).toEqual([
      expect.objectContaining({ name: 'sandbox', state: 'open', trialDueAt: expect.any(String) }),
      expect.objectContaining({ name: 'sandbox-b', state: 'active' }),
    ]);
    expect(sms.providers[0].failures.current + sms.providers[0].failures.previous).toBeGreaterThanOrEqual(2);
    expect(sms.shifts).toEqual([expect.objectContaining({ from: 'sandbox', to: 'sandbox-b', count: 1 })]);
  }, 90_000);

  it('moves back to the primary when it has recovered: one trial after the cooldown, then traffic through it', async () => {
    // Prepare
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });
    stack.sandbox.setFailureRate('sandbox', 0);
    const route = await health.route('sms');
    const cooldownLeft = Date.parse(route?.since ?? new Date().toISOString()) + COOLDOWN_SECONDS * 1000 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cooldownLeft) + 500));

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'The A470 has reopened.', priority: 'urgent' });
    await stack.settled(60_000);
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);

    // Assess
    const outbox = await outboxOf();
    expect(outbox.map((message) => message.to).sort()).toEqual([...residents].sort());
    // Sends made alongside the trial (a job has several in flight) stay on the secondary until it succeeds.
    expect(outbox.some((message) => message.provider === 'sandbox')).toBe(true);
    expect(broadcast.json).toMatchObject({ status: 'sent', counts: { sent: residents.length, failed: 0 } });
    expect((await health.route('sms'))?.active).toBe('sandbox');
    expect((await health.shifts('sms')).map(({ from, to, count }) => ({ from, to, count }))).toEqual(
      expect.arrayContaining([
        { from: 'sandbox', to: 'sandbox-b', count: 1 },
        { from: 'sandbox-b', to: 'sandbox', count: 1 },
      ]),
    );
  }, 90_000);
});
