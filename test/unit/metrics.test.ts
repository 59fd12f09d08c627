import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../shared/domain/errors.js';
import type { FanOutTask, SendJob } from '../../shared/domain/jobs.js';
import { metricNames, type MetricName } from '../../shared/platform/metrics.js';
import { logger } from '../../shared/runtime/logger.js';
import { fanOutShards } from '../../shared/broadcasts/fan-out.js';
import { handleInboundText } from '../../shared/consent/handle-inbound.js';
import { ProviderFailover } from '../../shared/sending/provider-failover.js';
import { recordReceipt } from '../../shared/sending/record-receipt.js';
import { sendBroadcastBatch } from '../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aMessageRecord, aPhone, aStatusReport, anInboundText, inboundEvidence } from '../support/builders.js';
import { senderDependencies, sendingForTests } from '../support/in-memory-pacing.js';
import { InMemoryProviderHealthStore } from '../support/in-memory-provider-health.js';
import { FixedClock, RecordingQueue, ScriptedProvider, SequentialIds, inMemoryInboundDependencies, inMemoryStores } from '../support/in-memory-stores.js';
import { RecordingMetrics } from '../support/recording-metrics.js';

const BROADCAST_ID = '01jbroadcast0000000000000a';
const alice = aPhone(101);
const AT = '2025-03-01T09:00:00.000Z';

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) vi.spyOn(logger, level).mockImplementation(() => undefined);
});

/** A live urgent broadcast to alice by SMS, sent through a provider that answers as `answer` says. */
async function sendToAlice(answer?: () => Error | undefined, broadcast = aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.' })): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const stores = inMemoryStores();
  await stores.broadcasts.create(broadcast);
  await stores.subscribers.subscribe(alice, 'sms', 'traffic', AT, inboundEvidence());
  const provider = new ScriptedProvider();
  if (answer) provider.answer = () => answer() ?? provider.accept();
  const deps = { ...senderDependencies(stores, new FixedClock(), provider, sendingForTests(new FixedClock())), metrics };
  await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] }));
  return metrics;
}

async function receipt(): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const stores = inMemoryStores();
  await stores.messages.claim(aMessageRecord({ messageId: 'msg-0001', status: 'sent' }));
  await recordReceipt({ stores, clock: new FixedClock(), ids: new SequentialIds(), metrics }, aStatusReport({ provider: 'twilio', messageId: 'msg-0001', status: 'delivered' }));
  return metrics;
}

async function stop(): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const { deps, stores } = inMemoryInboundDependencies();
  await stores.subscribers.subscribe(alice, 'whatsapp', 'traffic', AT, inboundEvidence());
  await handleInboundText({ ...deps, metrics }, anInboundText({ from: alice, channel: 'whatsapp', body: 'STOP' }));
  return metrics;
}

/** Twilio fails one unwell send with no failures allowed: SMS moves to AWS SMS. */
async function shift(): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const failover = new ProviderFailover(new InMemoryProviderHealthStore(), new FixedClock(AT), { errors: 0, windowSeconds: 60, cooldownSeconds: 300 }, { routeCacheSeconds: 0, metrics });
  const pick = await failover.choose('sms', ['twilio', 'aws-sms']);
  await failover.failed('sms', ['twilio', 'aws-sms'], pick, new ProviderError('twilio', 'connectionFailed', 'twilio answered 503'));
  return metrics;
}

/** The same for a weighted list: Twilio's share moves to AWS SMS. */
async function weightedShift(): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const failover = new ProviderFailover(new InMemoryProviderHealthStore(), new FixedClock(AT), { errors: 0, windowSeconds: 60, cooldownSeconds: 300 }, {
    routeCacheSeconds: 0,
    random: () => 0,
    metrics,
  });
  const providers = [{ name: 'twilio', weight: 50 }, { name: 'aws-sms', weight: 50 }] as const;
  await failover.weighted.failed('sms', providers, { provider: 'twilio', trial: false, version: 0 }, new ProviderError('twilio', 'connectionFailed', 'twilio answered 503'));
  return metrics;
}

async function fanOut(): Promise<RecordingMetrics> {
  const metrics = new RecordingMetrics();
  const stores = inMemoryStores(1);
  await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, priority: 'normal', fanOutPending: 1 }));
  for (const n of [101, 102, 103]) await stores.subscribers.subscribe(aPhone(n), 'sms', 'traffic', AT, inboundEvidence());
  const sendQueues = { urgent: new RecordingQueue<SendJob>(), normal: new RecordingQueue<SendJob>() };
  await fanOutShards(
    { stores, clock: new FixedClock(), ids: new SequentialIds(), sendQueues, fanOutTasks: new RecordingQueue<FanOutTask>(), recipientsPerJob: 250, metrics },
    { broadcastId: BROADCAST_ID, topicId: 'traffic', shard: 0 },
  );
  return metrics;
}

/** 429 at the first try; the batch's retry in place goes through. */
function throttledOnce(): () => Error | undefined {
  let answered = 0;
  return () => (answered++ === 0 ? new ProviderError('sandbox', 'throttled', 'sandbox rate limit exceeded', { providerCode: 429 }) : undefined);
}

/** Each metric, the event that emits it, and what it must carry. Values that are times are only checked to be times. */
const rows: [MetricName, string, () => Promise<RecordingMetrics>, Record<string, string>, number | 'a duration'][] = [
  ['MessagesSent', 'a provider accepts a message', () => sendToAlice(), { channel: 'sms', provider: 'sandbox' }, 1],
  [
    'MessagesFailed',
    'a provider refuses a message for good',
    () => sendToAlice(() => new ProviderError('sandbox', 'invalidRecipient', 'not a mobile number', { providerCode: 21614 })),
    { channel: 'sms', provider: 'sandbox', reason: 'invalidRecipient' },
    1,
  ],
  [
    'MessagesSkipped',
    'a broadcast was cancelled before its batch went',
    () => sendToAlice(undefined, aBroadcast({ id: BROADCAST_ID, status: 'cancelled' })),
    { channel: 'sms', reason: 'cancelled' },
    1,
  ],
  ['ProviderThrottled', 'a provider answers 429', () => sendToAlice(throttledOnce()), { channel: 'sms', provider: 'sandbox' }, 1],
  ['SendDuration', 'a provider call ends', () => sendToAlice(), { channel: 'sms', provider: 'sandbox' }, 'a duration'],
  // One GSM-7 segment to a GB number at the built-in £0.04.
  ['Spend', 'a provider accepts a message', () => sendToAlice(), { channel: 'sms', provider: 'sandbox' }, 0.04],
  ['ReceiptsRecorded', 'a delivery receipt arrives', receipt, { provider: 'twilio', status: 'delivered', outcome: 'applied' }, 1],
  ['OptOuts', 'a resident texts STOP', stop, { channel: 'whatsapp', source: 'keyword' }, 1],
  [
    'OptOuts',
    'a provider reports the recipient opted out',
    () => sendToAlice(() => new ProviderError('sandbox', 'recipientOptedOut', 'unsubscribed recipient', { providerCode: 21610 })),
    { channel: 'sms', source: 'provider' },
    1,
  ],
  ['FailoverShifts', "a channel's traffic moves to the next provider", shift, { channel: 'sms', from: 'twilio', to: 'aws-sms' }, 1],
  ['FailoverShifts', "a provider's share moves to the others", weightedShift, { channel: 'sms', from: 'twilio', to: 'aws-sms' }, 1],
  ['FanOutDuration', 'a fan-out task runs', fanOut, { priority: 'normal' }, 'a duration'],
  ['RecipientsTargeted', 'a fan-out puts residents on a lane', fanOut, { priority: 'normal' }, 3],
];

describe('metrics: each is emitted, with its dimensions, when its event happens', () => {
  it.each(rows)('%s when %s', async (name, _event, happen, dimensions, value) => {
    // Prepare / Act
    const metrics = await happen();

    // Assess
    const emitted = metrics.named(name);
    expect(emitted.map((record) => record.dimensions)).toContainEqual(dimensions);
    const own = emitted.filter((record) => JSON.stringify(record.dimensions) === JSON.stringify(dimensions));
    if (value === 'a duration') {
      for (const record of own) expect(record.value).toBeGreaterThanOrEqual(0);
    } else {
      expect(metrics.total(name, dimensions as never)).toBeCloseTo(value);
    }
  });

  it('has a row for every metric in the catalog', () => {
    // Prepare / Act / Assess
    expect([...new Set(rows.map(([name]) => name))].sort()).toEqual([...metricNames].sort());
  });

  it('never puts a number, a broadcast id or a department in a dimension', async () => {
    // Prepare
    const everything = await Promise.all(rows.map(([, , happen]) => happen()));

    // Act
    const values = everything.flatMap((metrics) => metrics.records.flatMap((record) => Object.values(record.dimensions) as string[]));

    // Assess
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      expect(value).not.toMatch(/\d{5,}/);
      expect(value).not.toContain(BROADCAST_ID);
      expect(value).not.toBe('traffic');
    }
  });

  it('counts a skip once, however often a redelivered batch meets it', async () => {
    // Prepare
    const metrics = new RecordingMetrics();
    const stores = inMemoryStores();
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, status: 'cancelled' }));
    const deps = { ...senderDependencies(stores, new FixedClock(), new ScriptedProvider(), sendingForTests(new FixedClock())), metrics };
    const job = aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }] });

    // Act
    await sendBroadcastBatch(deps, job);
    await sendBroadcastBatch(deps, job);

    // Assess
    expect(metrics.total('MessagesSkipped')).toBe(1);
  });

  it('counts an opt-out once: a second STOP changes nothing', async () => {
    // Prepare
    const metrics = new RecordingMetrics();
    const { deps, stores } = inMemoryInboundDependencies();
    await stores.subscribers.subscribe(alice, 'sms', 'traffic', AT, inboundEvidence());

    // Act
    await handleInboundText({ ...deps, metrics }, anInboundText({ from: alice, body: 'STOP' }));
    await handleInboundText({ ...deps, metrics }, anInboundText({ from: alice, body: 'STOP' }));

    // Assess
    expect(metrics.total('OptOuts')).toBe(1);
  });
});
