import { expect } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoMessageStore } from '../../shared/adapters/dynamo/message-store.js';
import { broadcastCountsSchema, broadcastStatusSchema, type BroadcastCounts, type BroadcastStatus } from '../../shared/domain/model.js';
import type { MessageRecord } from '../../shared/sending/message-store.js';
import { broadcastMessageId } from '../../shared/sending/send.js';
import { startBroadcast } from './broadcast-fixtures.js';
import type { LocalStackClient } from './local-stack-client.js';
import { readUntil } from './polling.js';

const FINAL_BROADCAST_STATUSES: readonly BroadcastStatus[] = ['sent', 'cancelled'];

export interface DeliveryReport {
  status: BroadcastStatus;
  counts: BroadcastCounts;
  /** Who the sandbox carried the broadcast to, one entry a send. */
  outboxRecipients: string[];
  /** Each targeted resident's message record (undefined: none). */
  records: Map<string, MessageRecord | undefined>;
}

/**
 * The delivery engine's promises for one broadcast, checked the same way in every fault test:
 * 1. nobody got it twice, and nobody outside the audience got it (the sandbox's outbox);
 * 2. every targeted resident got it, or has a recorded reason: skipped with a reason, or failed
 *    with a code (their message record; `sending` is no reason, it is a claim nobody finished);
 * 3. its counters add up: targeted is the audience and equals sent + failed + skipped; sent is
 *    what the outbox holds, failed and skipped what the records say; and it has finished.
 *
 * Waits (up to `finishWithinMs`) for the broadcast to finish first; one that never does fails 3.
 * Each promise is a soft assertion, so a failing test names every promise broken, not the first.
 */
export async function expectDeliveryInvariants(
  stack: LocalStack,
  client: LocalStackClient,
  broadcastId: string,
  audience: readonly string[],
  options: { finalStatus?: 'sent' | 'cancelled'; finishWithinMs?: number } = {},
): Promise<DeliveryReport> {
  const { status, counts } = await finished(client, broadcastId, options.finishWithinMs ?? 20_000);
  const prefix = broadcastMessageId(broadcastId, '');
  const outboxRecipients = (await client.outbox()).filter((message) => message.messageId.startsWith(prefix)).map((message) => message.to);
  const store = new DynamoMessageStore(awsClients().documents, stack.tableName);
  const records = new Map(await Promise.all(audience.map(async (phone) => [phone, await store.get(broadcastMessageId(broadcastId, phone))] as const)));

  const timesSent = (phone: string) => outboxRecipients.filter((to) => to === phone).length;
  const sentTwice = [...new Set(outboxRecipients)].filter((phone) => timesSent(phone) > 1).map((phone) => `${phone} got it ${timesSent(phone)} times`);
  const strangers = outboxRecipients.filter((phone) => !audience.includes(phone)).map((phone) => `${phone} got it but was not targeted`);
  expect.soft([...sentTwice, ...strangers], 'no resident got the broadcast twice, nor anyone outside its audience').toEqual([]);

  const unaccounted = audience.flatMap((phone) => {
    const record = records.get(phone);
    if (timesSent(phone) > 0) return [];
    if (record?.status === 'skipped' && record.skipReason) return [];
    if (record?.status === 'failed' && record.errorCode) return [];
    return [`${phone}: not sent, and ${record ? `its record is ${record.status} (${record.skipReason ?? record.errorCode ?? 'no reason'})` : 'no record'}`];
  });
  expect.soft(unaccounted, 'every targeted resident got the broadcast or has a recorded reason').toEqual([]);

  const withStatus = (wanted: (record: MessageRecord) => boolean) => [...records.values()].filter((record) => record && wanted(record)).length;
  expect.soft({ status, ...pick(counts) }, 'the broadcast finished and its counters add up').toEqual({
    status: options.finalStatus ?? 'sent',
    targeted: audience.length,
    sent: outboxRecipients.length,
    failed: withStatus((record) => record.status === 'failed'),
    skipped: withStatus((record) => record.status === 'skipped'),
    'sent + failed + skipped': audience.length,
  });
  return { status, counts, outboxRecipients, records };
}

/**
 * A broadcast to a topic (urgent unless asked), sent on the local stack until every queue is
 * quiet, then checked against the invariants: the whole story of most fault tests.
 */
export async function broadcastAndCheck(
  stack: LocalStack,
  client: LocalStackClient,
  topicId: string,
  audience: readonly string[],
  priority: 'urgent' | 'normal' = 'urgent',
): Promise<DeliveryReport & { broadcastId: string }> {
  const broadcastId = await startBroadcast(client, topicId, priority);
  await stack.settled(60_000);
  return { broadcastId, ...(await expectDeliveryInvariants(stack, client, broadcastId, audience)) };
}

function pick(counts: BroadcastCounts) {
  const { targeted, sent, failed, skipped } = counts;
  return { targeted, sent, failed, skipped, 'sent + failed + skipped': sent + failed + skipped };
}

/** The broadcast once it has finished, or as it is when `withinMs` have passed. */
async function finished(client: LocalStackClient, broadcastId: string, withinMs: number): Promise<{ status: BroadcastStatus; counts: BroadcastCounts }> {
  const read = async () => {
    const response = await client.api('GET', `/v1/broadcasts/${broadcastId}`);
    if (response.status !== 200) throw new Error(`GET /v1/broadcasts/${broadcastId} answered ${response.status}: ${JSON.stringify(response.json)}`);
    return { status: broadcastStatusSchema.parse(response.json.status), counts: broadcastCountsSchema.parse(response.json.counts) };
  };
  const done = ({ status, counts }: { status: BroadcastStatus; counts: BroadcastCounts }) =>
    FINAL_BROADCAST_STATUSES.includes(status) && counts.sent + counts.failed + counts.skipped >= counts.targeted;
  return readUntil(read, done, { timeout: withinMs, interval: 200 });
}
