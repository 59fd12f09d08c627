import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The retention schedule on a running local stack: after residents join, write in, opt out, get
 * a broadcast and replies, and staff handle the inbox and erase one resident, every stored item
 * that holds a resident's number and words carries a TTL, save the consent ledger of residents
 * still subscribed, which the schedule keeps as the evidence crier messages them on.
 */
describe('retention on the local stack', () => {
  const authToken = 'e2e-retention-token';
  const alice = '+447700900601';
  const bob = '+447700900602';
  const carol = '+447700900603';
  const dave = '+447700900604';
  const erin = '+447700900605';
  const residents = [alice, bob, carol, dave, erin];
  const words = ['JOIN TRAFFIC', 'traffic', 'STOP', 'My son is 14, can he join?', 'Is the A470 open at Storey Arms?', 'HELP', 'Bins missed again'];
  let stack: LocalStack;
  let client: LocalStackClient;
  let items: Record<string, unknown>[];

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0, receiptDelayMs: 0 } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
    await client.textAndCollect(alice, 'JOIN TRAFFIC');
    await client.textAndCollect(bob, 'traffic');
    await client.textAndCollect(carol, 'JOIN TRAFFIC');
    await client.textAndCollect(carol, 'STOP');
    await client.textAndCollect(dave, 'My son is 14, can he join?');
    await client.textAndCollect(erin, 'Bins missed again');
    const broadcast = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'Queues on the A470 northbound; expect delays.', priority: 'urgent' });
    expect(broadcast.status).toBe(201);
    await stack.settled();
    await client.textAndCollect(alice, 'Is the A470 open at Storey Arms?');
    await client.textAndCollect(bob, 'HELP');
    const inbox = await client.api('GET', `/v1/inbox?from=${encodeURIComponent(dave)}`);
    expect((await client.api('POST', `/v1/inbox/${inbox.json.messages[0].id}/handled`)).status).toBe(200);
    expect((await client.api('DELETE', `/v1/subscribers/${encodeURIComponent(erin)}`)).status).toBe(204);
    await stack.settled();
    items = await everything();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function everything(): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await awsClients().documents.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: cursor, ConsistentRead: true }));
      found.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return found;
  }

  const numbersIn = (item: Record<string, unknown>) => residents.filter((phone) => JSON.stringify(item).includes(phone));
  const holdsWords = (item: Record<string, unknown>) => words.some((text) => JSON.stringify(item).includes(text));
  /** What the schedule keeps while the resident is subscribed: their profile, subscriptions, consent ledger and index entries. */
  const keptWhileSubscribed = (item: Record<string, unknown>) =>
    [alice, bob].some((phone) => item.pk === `SUB#${phone}` && (item.sk === 'PROFILE' || /^(TOPIC|CONSENT)#/.test(String(item.sk)))) ||
    (String(item.pk).startsWith('TOPICIDX#') && [alice, bob].some((phone) => String(item.sk).startsWith(`SUB#${phone}#`)));

  it('stores items that hold a number and a resident’s words (a sanity check of what is scanned)', () => {
    // Prepare / Act
    const personal = items.filter((item) => numbersIn(item).length > 0 && holdsWords(item));

    // Assess: texts, inbox entries and consent records at least
    expect(personal.map((item) => item.type)).toEqual(expect.arrayContaining(['inbound', 'inboxEntry', 'consentEvent']));
  });

  it('gives every item that holds a number and a resident’s words a TTL in the future, but the ledger of residents still subscribed', () => {
    // Prepare
    const now = Date.now() / 1000;

    // Act
    const withoutTtl = items.filter((item) => numbersIn(item).length > 0 && holdsWords(item) && !keptWhileSubscribed(item) && typeof item.expiresAt !== 'number');
    const expired = items.filter((item) => typeof item.expiresAt === 'number' && item.expiresAt <= now);

    // Assess
    expect(withoutTtl).toEqual([]);
    expect(expired).toEqual([]);
  });

  it('gives every item that holds a number at all a TTL, but what a subscribed resident is kept by', () => {
    // Prepare / Act
    const withoutTtl = items.filter((item) => numbersIn(item).length > 0 && !keptWhileSubscribed(item) && typeof item.expiresAt !== 'number');

    // Assess
    expect(withoutTtl).toEqual([]);
  });

  it('counts down the opted-out resident’s profile and consent ledger, and the ledger of one who only wrote in', () => {
    // Prepare / Act
    const record = (phone: string) => items.filter((item) => item.pk === `SUB#${phone}` && (item.sk === 'PROFILE' || String(item.sk).startsWith('CONSENT#')));

    // Assess
    expect(record(carol).length).toBeGreaterThanOrEqual(3);
    expect(record(carol).every((item) => typeof item.expiresAt === 'number')).toBe(true);
    expect(record(dave).length).toBeGreaterThanOrEqual(1);
    expect(record(dave).every((item) => typeof item.expiresAt === 'number')).toBe(true);
  });

  it('keeps nothing of the erased resident but the keyed hash of the tombstone', () => {
    // Prepare / Act
    const tombstones = items.filter((item) => item.type === 'tombstone');

    // Assess
    expect(items.filter((item) => numbersIn(item).includes(erin))).toEqual([]);
    expect(tombstones).toEqual([expect.objectContaining({ pk: expect.stringMatching(/^ERASED#[0-9a-f]{64}$/) })]);
    expect(tombstones[0]).not.toHaveProperty('expiresAt');
  });
});
