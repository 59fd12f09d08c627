import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Sender identities on the local stack: the sandbox sends SMS from the deployment's main number,
 * from youth services' own and from the waste team's sender ID (SENDERS), and its outbox shows
 * which each message came from.
 */
describe('sender identities on the local stack', () => {
  const authToken = 'e2e-twilio-token';
  const mainNumber = '+447700900100';
  const youthNumber = '+447700900200';
  const alice = '+447700900301';
  const bob = '+447700900302';
  const carol = '+447700900303';
  let stack: LocalStack;
  let client: LocalStackClient;

  /** A resident's text to one of our numbers in particular, as Twilio posts it. */
  const textTo = (ourNumber: string, from: string, body: string) =>
    client.postTwilio('/webhooks/twilio/inbound', { ...client.inboundParams(from, body), To: ourNumber });

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0 },
      settings: {
        senders: [
          { id: 'main', provider: 'sandbox', channel: 'sms', from: mainNumber, kind: 'long_code' },
          { id: 'youth', provider: 'sandbox', channel: 'sms', from: youthNumber, kind: 'long_code', departments: ['youth'] },
          { id: 'waste', provider: 'sandbox', channel: 'sms', from: 'BINS', kind: 'alphanumeric', departments: ['waste'] },
        ],
      },
    });
    client = new LocalStackClient(stack, authToken);
    for (const topic of [
      { id: 'youth-club', name: 'Youth club', keywords: ['YOUTH'], department: 'youth' },
      { id: 'roadworks', name: 'Roadworks', keywords: ['ROADWORKS'], department: 'traffic' },
      { id: 'bins', name: 'Bin collections', keywords: ['BINS'], department: 'waste' },
    ]) {
      expect((await client.api('POST', '/v1/topics', topic)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('replies from the number the resident texted', async () => {
    // Prepare
    const before = (await client.outbox()).length;

    // Act: Alice texts youth services' number, Bob the main one.
    expect((await textTo(youthNumber, alice, 'JOIN YOUTH')).status).toBe(200);
    expect((await textTo(mainNumber, bob, 'JOIN ROADWORKS')).status).toBe(200);
    await stack.settled();

    // Assess
    const replies = (await client.outbox()).slice(before);
    expect(replies.map(({ to, from }) => ({ to, from })).sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { to: alice, from: youthNumber },
      { to: bob, from: mainNumber },
    ]);
  });

  it('sends a department’s broadcast from its own identity, and everyone else’s from the default', async () => {
    // Prepare
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });

    // Act
    const youth = await client.api('POST', '/v1/broadcasts', { topics: ['youth-club'], body: 'Youth club is open late tonight.', priority: 'urgent' });
    const roads = await client.api('POST', '/v1/broadcasts', { topics: ['roadworks'], body: 'Lane closed on Newport Road.', priority: 'urgent' });
    expect([youth.status, roads.status]).toEqual([201, 201]);
    await stack.settled();

    // Assess
    const sent = await client.outbox();
    expect(sent.find((message) => message.body.startsWith('Youth club'))).toMatchObject({ to: alice, from: youthNumber });
    expect(sent.find((message) => message.body.startsWith('Lane closed'))).toMatchObject({ to: bob, from: mainNumber });
  });

  it('previews and sends the waste team’s broadcast from its sender ID, telling residents which number to text STOP to', async () => {
    // Prepare
    expect((await textTo(mainNumber, carol, 'JOIN BINS')).status).toBe(200);
    await stack.settled();
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });
    const request = { topics: ['bins'], body: 'Bins are collected a day late this week.', priority: 'urgent' };

    // Act
    const preview = await client.api('POST', '/v1/broadcasts/preview', request);
    const created = await client.api('POST', '/v1/broadcasts', request);
    await stack.settled();

    // Assess
    const footer = 'Text STOP to 07700 900100 to stop.';
    expect(preview.json.messages).toEqual([expect.objectContaining({ language: 'en', text: `${request.body}\n${footer}` })]);
    expect(created.status).toBe(201);
    expect(await client.outbox()).toEqual([expect.objectContaining({ to: carol, from: 'BINS', body: `${request.body}\n${footer}` })]);
  });
});
