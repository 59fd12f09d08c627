import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, ProviderError, type ProviderErrorKind } from '../../../shared/domain/errors.js';
import type { OutboundText } from '../../../shared/ports/messaging-provider.js';
import { logger } from '../../../shared/runtime/logger.js';
import { recordJobProgress } from '../../../shared/broadcasts/broadcast-progress.js';
import { broadcastMessageId, sendBroadcastBatch, sendReply } from '../../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aPhone, aReplySendJob, inboundEvidence } from '../../support/builders.js';
import { FixedClock, ScriptedProvider, inMemoryStores } from '../../support/in-memory-stores.js';
import { senderDependencies, sendingForTests } from '../../support/in-memory-pacing.js';

const alice = aPhone(101);
const bob = aPhone(102);
const carol = aPhone(103);
const BROADCAST_ID = '01jbroadcast0000000000000a';
const AT = new FixedClock().now().toISOString();

async function setUp(broadcast = aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.' })) {
  const stores = inMemoryStores();
  await stores.broadcasts.create(broadcast);
  // The residents joined by SMS, and wrote on WhatsApp just now, so its window is open.
  for (const phone of [alice, bob, carol]) {
    await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
    await stores.subscribers.recordWhatsAppWindow(phone, AT);
  }
  const provider = new ScriptedProvider();
  const sending = sendingForTests(new FixedClock());
  const deps = senderDependencies(stores, new FixedClock(), provider, sending);
  return { deps, stores, provider, lanes: sending.lanes };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The provider refuses one resident with `error` and takes everyone else. */
function refuse(provider: ScriptedProvider, phone: string, error: Error): void {
  provider.answer = (message: OutboundText) => (message.to === phone ? error : provider.accept());
}

describe('sendBroadcastBatch: test mode', () => {
  it.each([
    ['test', true],
    ['live', false],
  ] as const)('asks the directory for a %s broadcast with testMode %s', async (mode, testMode) => {
    // Prepare
    const { deps } = await setUp(aBroadcast({ id: BROADCAST_ID, mode }));
    const choices: unknown[] = [];
    const provider = new ScriptedProvider();
    deps.providers = { forChannel: async (_channel, choice) => (choices.push(choice), provider) };

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess
    expect(choices).toEqual([{ testMode }]);
    expect(provider.sentTo).toEqual([alice]);
  });

  it('fails the job loudly and gives the claim back when no provider can be built (no sandbox in AWS)', async () => {
    // Prepare
    const { deps, stores } = await setUp(aBroadcast({ id: BROADCAST_ID, mode: 'test' }));
    deps.providers = {
      forChannel: async () => {
        throw new ConfigurationError('SANDBOX_URL is not set');
      },
    };

    // Act
    const attempt = sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess
    await expect(attempt).rejects.toThrow(ConfigurationError);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toBeUndefined();
  });
});

describe('sendBroadcastBatch', () => {
  it('sends each recipient the body with the stop footer, records it sent and counts it', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'whatsapp' }] });

    // Act
    await sendBroadcastBatch(deps, job);

    // Assess
    const aliceMessageId = broadcastMessageId(BROADCAST_ID, alice);
    expect(provider.attempts[0]).toEqual({
      messageId: aliceMessageId,
      to: alice,
      channel: 'sms',
      body: 'Queues on the A470.\nReply STOP to stop.',
      statusCallbackUrl: `https://crier.example.gov.uk/webhooks/twilio/status?messageId=${aliceMessageId}`,
      from: { kind: 'long_code', address: '+447700900000' },
      origin: { broadcastId: BROADCAST_ID, department: 'traffic', mode: 'live' },
    });
    expect(provider.attempts[1]).toMatchObject({ to: bob, channel: 'whatsapp' });
    expect(await stores.messages.get(aliceMessageId)).toMatchObject({ status: 'sent', provider: 'sandbox', providerMessageId: 'SB000001', senderId: 'sandbox-sms' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 2, failed: 0, skipped: 0 });
  });

  it('counts a message sent whose record was erased while it was on its way, writes no partial record, and warns without the number', async () => {
    // Prepare: the resident's records are erased while the provider is taking their message.
    const { deps, stores, provider } = await setUp();
    const messageId = broadcastMessageId(BROADCAST_ID, alice);
    provider.answer = () => (stores.messages.messages.delete(messageId), provider.accept());
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess
    expect(provider.sentTo).toEqual([alice]);
    expect(await stores.messages.get(messageId)).toBeUndefined();
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 0 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('erased'), { broadcastId: BROADCAST_ID, channel: 'sms', provider: 'sandbox' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(alice.slice(1));
  });

  it('skips a resident who opted out, records why, and counts the skip', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.optOut(bob, 'sms', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));

    // Assess
    expect(provider.sentTo).toEqual([alice]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, skipped: 1 });
  });

  it('skips a resident who left the topic after the fan-out, records why, and counts the skip', async () => {
    // Prepare: both were fanned out from traffic; bob has left it since (without STOP).
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.leaveTopic(bob, 'sms', 'traffic', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'LEAVE TRAFFIC' }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, topicId: 'traffic' }));

    // Assess
    expect(provider.sentTo).toEqual([alice]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'skipped', skipReason: 'left_topic' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, skipped: 1, skippedBy: { left_topic: 1 } });
  });

  it('skips a recipient whose channel is not subscribed to the job topic (checked per channel)', async () => {
    // Prepare: carol's traffic subscription is on SMS; a job for her WhatsApp number in traffic finds none.
    const { deps, stores, provider } = await setUp();

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, topicId: 'traffic', recipients: [{ phone: carol, channel: 'whatsapp' }] }));

    // Assess
    expect(provider.sentTo).toEqual([]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, carol))).toMatchObject({ status: 'skipped', skipReason: 'left_topic' });
  });

  it('sends to a resident opted out on the other channel only', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.optOut(alice, 'whatsapp', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));

    // Assess
    expect(provider.sentTo).toEqual([alice]);
  });

  it('neither sends nor counts twice when the same job is delivered again', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.optOut(carol, 'sms', '2025-03-01T08:59:59.000Z', inboundEvidence({ text: 'STOP' }));
    const job = aBroadcastSendJob({
      broadcastId: BROADCAST_ID,
      recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'sms' }, { phone: carol, channel: 'sms' }],
    });
    await sendBroadcastBatch(deps, job);

    // Act
    await sendBroadcastBatch(deps, structuredClone(job));

    // Assess
    expect(provider.sentTo).toEqual([alice, bob]);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 2, skipped: 1 });
  });

  it.each<ProviderErrorKind>(['throttled', 'connectionFailed'])(
    'gives the claim back on a retryable %s error, counts what was done, and hands the rest back with an attempt more',
    async (kind) => {
      // Prepare
      const { deps, stores, provider, lanes } = await setUp();
      refuse(provider, bob, new ProviderError('sandbox', kind, `sandbox says ${kind}`));
      const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID });

      // Act
      await sendBroadcastBatch(deps, job);

      // Assess
      expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toBeUndefined();
      expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 0 });
      expect(lanes.urgent.sent).toEqual([{ kind: 'broadcast', broadcastId: BROADCAST_ID, recipients: job.recipients.slice(1), attempt: 1 }]);
      expect(lanes.urgent.delays[0]).toBeGreaterThanOrEqual(1);
    },
  );

  it('sends the handed-back recipient on the retry, and nobody twice', async () => {
    // Prepare
    const { deps, stores, provider, lanes } = await setUp();
    refuse(provider, bob, new ProviderError('sandbox', 'connectionFailed', 'bad gateway', { providerCode: 502 }));
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));
    provider.answer = () => provider.accept();
    const rest = lanes.urgent.sent[0];
    if (rest?.kind !== 'broadcast') throw new Error('expected the rest of the batch on the urgent lane');

    // Act
    await sendBroadcastBatch(deps, rest);

    // Assess
    expect(provider.sentTo).toEqual([alice, bob, bob]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'sent' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 2, failed: 0 });
  });

  it('records a retryable failure on the last attempt as failed, retries exhausted, and hands nothing back', async () => {
    // Prepare
    const { deps, stores, provider, lanes } = await setUp();
    refuse(provider, bob, new ProviderError('sandbox', 'connectionFailed', 'bad gateway', { providerCode: 502 }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, attempt: deps.retry.attempts - 1 }));

    // Assess
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode: 'retries_exhausted:502' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 1 });
    expect(lanes.urgent.sent).toEqual([]);
  });

  it('opts out a resident the provider reports as opted out, and records the message failed', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.subscribe(bob, 'sms', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence());
    refuse(provider, bob, new ProviderError('twilio', 'recipientOptedOut', 'unsubscribed recipient', { providerCode: 21610 }));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));

    // Assess
    expect((await stores.subscribers.getProfile(bob))?.optedOut.sms).toBe('2025-03-01T09:00:00.000Z');
    expect(await stores.subscribers.subscriptions(bob)).toEqual([]);
    expect((await stores.subscribers.consentHistory(bob)).at(-1)).toMatchObject({
      action: 'opt_out',
      channel: 'sms',
      evidence: { kind: 'admin', actor: 'provider:twilio' },
    });
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode: '21610' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 1 });
  });

  it.each<[ProviderErrorKind, string | undefined, string]>([
    ['invalidRecipient', '21211', '21211'],
    ['windowClosed', '63016', '63016'],
    ['rejected', undefined, 'rejected'],
    ['misconfigured', '20003', '20003'],
    ['outcomeUnknown', undefined, 'outcomeUnknown'],
  ])('records a %s refusal as failed (code %s → %s), without retrying', async (kind, providerCode, errorCode) => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    refuse(provider, bob, new ProviderError('twilio', kind, 'refused', providerCode ? { providerCode } : undefined));

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));

    // Assess
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode });
    expect((await stores.subscribers.getProfile(bob))?.optedOut).toEqual({});
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 1 });
  });

  it('records an error that is not a provider answer as an ambiguous failure, and never retries it', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    refuse(provider, alice, new TypeError('fetch failed mysteriously'));
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID });

    // Act
    await sendBroadcastBatch(deps, job);
    await sendBroadcastBatch(deps, structuredClone(job));

    // Assess
    expect(provider.sentTo).toEqual([alice, bob]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'failed', errorCode: 'ambiguous' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 1, failed: 1 });
    expect(logger.error).toHaveBeenCalledWith('send ended ambiguously; recorded as failed, not retried', expect.anything());
  });

  it('skips every recipient of a cancelled broadcast, once', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp(aBroadcast({ id: BROADCAST_ID, status: 'cancelled' }));
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID });

    // Act
    await sendBroadcastBatch(deps, job);
    await sendBroadcastBatch(deps, structuredClone(job));

    // Assess
    expect(provider.attempts).toEqual([]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'skipped', skipReason: 'cancelled' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ skipped: 2 });
  });

  it('marks the broadcast sent when the last recipient has an outcome', async () => {
    // Prepare
    const { deps, stores } = await setUp(
      aBroadcast({ id: BROADCAST_ID, status: 'sending', fanOutPending: 0, counts: { targeted: 3, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }),
    );
    // The first recipient was sent by an earlier job, recorded as every job is.
    await recordJobProgress(stores, { broadcastId: BROADCAST_ID, jobId: 'job-earlier', delta: { sent: 1 }, at: '2025-03-01T09:00:00.000Z' });

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));

    // Assess
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', counts: { targeted: 3, sent: 3 } });
  });

  it('finishes a job whose earlier run died part-way: its sends counted, its hung claim failed as outcome unknown and never resent', async () => {
    // Prepare: three recipients. The dead run (10 minutes ago) sent alice and had claimed bob when
    // it stopped, before the provider answered; it never recorded its totals.
    const { deps, stores, provider } = await setUp(
      aBroadcast({ id: BROADCAST_ID, status: 'sending', fanOutPending: 0, counts: { targeted: 3, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }),
    );
    const earlier = '2025-03-01T08:50:00.000Z';
    const claimOf = (phone: string) => ({
      messageId: broadcastMessageId(BROADCAST_ID, phone),
      broadcastId: BROADCAST_ID,
      to: phone,
      channel: 'sms' as const,
      status: 'sending' as const,
      skipReason: undefined,
      provider: undefined,
      providerMessageId: undefined,
      errorCode: undefined,
      createdAt: earlier,
      updatedAt: earlier,
      jobId: 'job-1',
    });
    await stores.messages.claim(claimOf(alice));
    await stores.messages.markSent(broadcastMessageId(BROADCAST_ID, alice), 'sandbox', 'SB-dead-run', earlier);
    await stores.messages.claim(claimOf(bob));
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [alice, bob, carol].map((phone) => ({ phone, channel: 'sms' as const })) });

    // Act: SQS hands the same job (same message id) out again.
    await sendBroadcastBatch(deps, job, { deadline: Number.POSITIVE_INFINITY, jobId: 'job-1' });

    // Assess
    expect(provider.sentTo).toEqual([carol]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode: 'outcomeUnknown' });
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', counts: { targeted: 3, sent: 2, failed: 1, skipped: 0 } });
  });

  it('counts nothing twice when another job (the fan-out queued a page twice) meets recipients this job sent', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp(
      aBroadcast({ id: BROADCAST_ID, status: 'sending', fanOutPending: 0, counts: { targeted: 2, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }),
    );
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID });
    await sendBroadcastBatch(deps, job, { deadline: Number.POSITIVE_INFINITY, jobId: 'job-1' });

    // Act
    await sendBroadcastBatch(deps, structuredClone(job), { deadline: Number.POSITIVE_INFINITY, jobId: 'job-2' });

    // Assess
    expect(provider.sentTo).toEqual([alice, bob]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sent', counts: { targeted: 2, sent: 2, failed: 0, skipped: 0 } });
  });

  it('keeps sending while shards are still being fanned out', async () => {
    // Prepare
    const { deps, stores } = await setUp(
      aBroadcast({ id: BROADCAST_ID, status: 'sending', fanOutPending: 1, counts: { targeted: 2, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }),
    );

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID }));

    // Assess
    expect((await stores.broadcasts.get(BROADCAST_ID))?.status).toBe('sending');
  });

  it('drops a job for a broadcast that does not exist', async () => {
    // Prepare
    const { deps, provider } = await setUp();
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: 'bc-none' }));

    // Assess
    expect(provider.attempts).toEqual([]);
    expect(logger.warn).toHaveBeenCalled();
  });
});

describe('sendReply', () => {
  it('sends a confirmation once, however often the job is delivered', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    const job = aReplySendJob({ to: alice });

    // Act
    await sendReply(deps, job);
    await sendReply(deps, structuredClone(job));

    // Assess
    expect(provider.attempts).toHaveLength(1);
    expect(provider.attempts[0]).toMatchObject({ messageId: job.messageId, to: alice, body: job.body });
    expect(await stores.messages.get(job.messageId)).toMatchObject({ status: 'sent', broadcastId: undefined });
  });

  it("hands the provider a staff reply's WhatsApp template, for a resident outside their 24-hour window", async () => {
    // Prepare
    const { deps, provider } = await setUp();
    const template = { name: 'thanks_reply', language: 'cy', parameters: [] };

    // Act
    await sendReply(deps, aReplySendJob({ to: alice, channel: 'whatsapp', purpose: 'answer', template }));

    // Assess
    expect(provider.attempts[0]).toMatchObject({ to: alice, channel: 'whatsapp', template });
  });

  it.each(['optOutConfirmation', 'help'] as const)('sends a %s reply to a resident who has opted out', async (purpose) => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    await stores.subscribers.optOut(alice, 'sms', '2025-03-01T08:59:00.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    await sendReply(deps, aReplySendJob({ to: alice, purpose }));

    // Assess
    expect(provider.sentTo).toEqual([alice]);
  });

  it.each(['confirmation', 'answer'] as const)('skips a %s reply to a resident who opted out since it was queued', async (purpose) => {
    // Prepare
    const { deps, stores, provider } = await setUp();
    const job = aReplySendJob({ to: alice, purpose });
    await stores.subscribers.optOut(alice, 'sms', '2025-03-01T08:59:00.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    await sendReply(deps, job);

    // Assess
    expect(provider.attempts).toEqual([]);
    expect(await stores.messages.get(job.messageId)).toMatchObject({ status: 'skipped', skipReason: 'opted_out' });
  });
});
