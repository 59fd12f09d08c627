import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The foundation's end-to-end path on the local stack, started the way `npm start` starts it
 * (random port, in-memory data, the emulators, the senders and the sandbox's edge each on a thread of their own): topic → residents join by text → STOP → broadcast through the
 * fan-out and send queues → delivery receipt → counts.
 */
describe('first end-to-end path on the local stack', () => {
  const authToken = 'e2e-twilio-token';
  const alice = '+447700900101';
  const bob = '+447700900102';
  const carol = '+447700900103';
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, emulatorsInThread: true, sendersInThread: true, sandboxEdgeInThread: true, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the health check', async () => {
    // Prepare / Act
    const response = await fetch(`${stack.baseUrl}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('lets an operator create a topic with keywords, and refuses a request without a valid key', async () => {
    // Prepare
    const topic = { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] };

    // Act
    const created = await client.api('POST', '/v1/topics', topic);
    const wrongKey = await client.api('POST', '/v1/topics', topic, 'not-a-key');
    const noKey = await fetch(`${stack.baseUrl}/v1/topics`, { method: 'POST', body: JSON.stringify(topic) });

    // Assess
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'traffic', keywords: ['TRAFFIC'], subscribers: 0 });
    // A key the authorizer refuses, or none at all: the contract's 401, in crier's own error format.
    expect(wrongKey).toEqual({ status: 401, json: { error: 'the API key is not valid (unknown or revoked)', details: [] } });
    expect({ status: noKey.status, json: await noKey.json() }).toEqual({
      status: 401,
      json: { error: 'a valid API key is required (Authorization: Bearer <key>)', details: [] },
    });
  });

  it('refuses a forged inbound webhook with 403 and stores nothing', async () => {
    // Prepare
    const params = client.inboundParams(alice, 'JOIN TRAFFIC');

    // Act
    const response = await client.postTwilio('/webhooks/twilio/inbound', params, 'forged-signature');
    await stack.settled();

    // Assess
    expect(response.status).toBe(403);
    expect((await client.api('GET', `/v1/subscribers/${encodeURIComponent(alice)}`)).status).toBe(404);
    expect(await client.outbox(alice)).toEqual([]);
  });

  it('subscribes residents who text JOIN TRAFFIC or the bare keyword, and confirms through the provider', async () => {
    // Prepare / Act
    const responses = await Promise.all([
      client.text(alice, 'JOIN TRAFFIC'),
      client.text(bob, 'traffic'),
      client.text(carol, 'Join Traffic!'),
    ]);
    await stack.settled();

    // Assess
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Response/>');
    }
    for (const phone of [alice, bob, carol]) {
      const messages = await client.outbox(phone);
      expect(messages).toHaveLength(1);
      expect(messages[0]?.body).toContain("You're subscribed to Traffic alerts");
    }
    const topic = (await client.api('GET', '/v1/topics/traffic')).json;
    expect(topic.subscribers).toBe(3);
    expect(topic.subscriberCounts).toEqual({ total: 3, byChannel: { sms: 3, whatsapp: 0 }, byLanguage: { en: 0, cy: 0, es: 0, none: 3 } });
  });

  it('answers HELP with the topics and how to stop', async () => {
    // Prepare
    const before = (await client.outbox(alice)).length;

    // Act
    await client.text(alice, 'HELP');
    await stack.settled();

    // Assess
    const messages = await client.outbox(alice);
    expect(messages).toHaveLength(before + 1);
    expect(messages.at(-1)?.body).toMatch(/TRAFFIC.*STOP/s);
  });

  it('opts out on STOP with exactly one confirmation, even when Twilio retries the webhook', async () => {
    // Prepare
    const params = client.inboundParams(carol, 'STOP');
    const before = (await client.outbox(carol)).length;

    // Act
    const first = await client.postTwilio('/webhooks/twilio/inbound', params);
    const retry = await client.postTwilio('/webhooks/twilio/inbound', params);
    await stack.settled();

    // Assess
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    const messages = await client.outbox(carol);
    expect(messages).toHaveLength(before + 1);
    expect(messages.at(-1)?.body).toContain("won't get any more messages");
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(carol)}`);
    expect(profile.json.optedOut.sms).toBeTypeOf('string');
    expect(profile.json.subscriptions).toEqual([]);
    expect(profile.json.consentHistory.map((event: { action: string }) => event.action)).toEqual(['opt_in', 'opt_out']);
  });

  it('sends a broadcast through fan-out and the send queue to every subscriber once and to nobody who opted out', async () => {
    // Prepare
    await fetch(`${stack.baseUrl}/sandbox/messages`, { method: 'DELETE' });

    // Act
    const created = await client.api('POST', '/v1/broadcasts', {
      topics: ['traffic'],
      body: 'Queues on the A470 northbound after a collision; expect delays.',
      priority: 'urgent',
    });
    await stack.settled();
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);

    // Assess
    expect(created.status).toBe(201);
    const outbox = await client.outbox();
    expect(outbox.map((message) => message.to).sort()).toEqual([alice, bob].sort());
    expect(outbox.every((message) => message.body.startsWith('Queues on the A470'))).toBe(true);
    expect(broadcast.json).toMatchObject({ status: 'sent', counts: { targeted: 2, sent: 2, failed: 0, skipped: 0, delivered: 0 } });
  });

  it('marks a message delivered from a signed Twilio status callback, and the broadcast counts show it', async () => {
    // Prepare
    const [message] = await client.outbox(alice);
    if (!message) throw new Error('alice should have the broadcast in the outbox');
    const broadcastId = message.messageId.split('-')[0];
    const path = `/webhooks/twilio/status?messageId=${encodeURIComponent(message.messageId)}`;
    const params = { AccountSid: `AC${'0'.repeat(32)}`, MessageSid: message.id, MessageStatus: 'delivered' };

    // Act
    const response = await client.postTwilio(path, params);
    const late = await client.postTwilio(path, { ...params, MessageStatus: 'sent' });

    // Assess
    expect(response.status).toBe(200);
    expect(late.status).toBe(200);
    // Counted from the table's change stream, a batch at a time: on the counters a moment later.
    await expect.poll(async () => (await client.api('GET', `/v1/broadcasts/${broadcastId}`)).json.counts, { timeout: 10_000 }).toMatchObject({ sent: 2, delivered: 1 });
  });

  it('refuses a status callback whose body was changed after signing', async () => {
    // Prepare
    const path = '/webhooks/twilio/status?messageId=whatever';
    const params = { AccountSid: `AC${'0'.repeat(32)}`, MessageSid: `SM${'1'.repeat(32)}`, MessageStatus: 'delivered' };
    const signed = await import('twilio').then(({ default: twilio }) =>
      twilio.getExpectedTwilioSignature(authToken, `${stack.publicBaseUrl}${path}`, params),
    );

    // Act
    const response = await client.postTwilio(path, { ...params, MessageStatus: 'failed' }, signed);

    // Assess
    expect(response.status).toBe(403);
  });
});
