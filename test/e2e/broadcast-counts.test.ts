import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * What staff watch while a broadcast sends: the counts from `GET /v1/broadcasts/{id}`, read again
 * and again. The sender adds a job's sent count when the job is done, while each delivery receipt
 * is counted the moment it arrives; with a paced provider and quick receipts, receipts come in
 * long before their job is counted. The counts shown must never contradict each other.
 */
describe('a broadcast’s counts while it sends', () => {
  const authToken = 'broadcast-counts-token';
  const phone = (n: number) => `+447700900${String(n).padStart(3, '0')}`;
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    // Four messages a second and receipts 50 ms after each send: a job of eight takes two seconds
    // to send and is counted at its end, its first receipts long before.
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0, messagesPerSecond: 4, receiptDelayMs: 50 }, settings: { topicShards: 1 } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'bins', name: 'Bin days', keywords: ['BINS'] })).status).toBe(201);
    for (let n = 501; n <= 508; n += 1) expect((await client.text(phone(n), 'JOIN BINS')).status).toBe(200);
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('never shows more delivered than sent, nor more sent, failed and skipped than targeted, at any read', async () => {
    // Prepare
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['bins'], body: 'Bins are collected a day late this week.' });
    expect(created.status).toBe(201);
    const reads: { status: string; counts: Record<string, number> }[] = [];

    // Act: read the broadcast as a watching member of staff would, until it is sent
    await vi.waitFor(
      async () => {
        const read = await client.api('GET', `/v1/broadcasts/${created.json.id}`);
        reads.push({ status: read.json.status, counts: read.json.counts });
        expect(read.json.status).toBe('sent');
      },
      { timeout: 60_000, interval: 25 },
    );

    // Assess: receipts were counted while it was sending (the case this is about), and no read contradicted itself
    expect(reads.some(({ status, counts }) => status === 'sending' && counts.delivered! > 0)).toBe(true);
    const contradictions = reads.filter(
      ({ counts: { targeted, sent, delivered, undelivered, failed, skipped } }) =>
        delivered! + undelivered! > sent! || sent! + failed! + skipped! > targeted!,
    );
    expect(contradictions).toEqual([]);
    expect(reads.at(-1)?.counts).toMatchObject({ targeted: 8, sent: 8, failed: 0, skipped: 0 });
  }, 90_000);
});
