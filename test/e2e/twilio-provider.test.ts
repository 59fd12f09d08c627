import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import type { LocalStackClient } from '../support/local-stack-client.js';
import type { FakeTwilioApi } from '../support/fake-twilio-api.js';
import { startFakeTwilioStack } from '../support/fake-twilio-stack.js';

/**
 * With Twilio credentials set, the local stack sends through the real twilio SDK (here pointed at
 * a local fake of Twilio's API): replies and broadcasts reach Twilio with crier's status callback,
 * a 429 is retried later without a double send, and Twilio's "opted out" (21610) is honoured.
 */
describe('the local stack with Twilio credentials set', () => {
  const ourNumber = '+447700900000';
  const alice = '+447700900201';
  let twilioApi: FakeTwilioApi;
  let stack: LocalStack;
  let client: LocalStackClient;

  const messagesTo = (phone: string) => twilioApi.requests.filter((request) => request.form.To === phone);

  beforeAll(async () => {
    ({ twilioApi, stack, client } = await startFakeTwilioStack(ourNumber));
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
    await twilioApi?.close();
  });

  it('replies to JOIN through the Twilio Messages API, with a status callback carrying our message id', async () => {
    // Prepare / Act
    const response = await client.text(alice, 'JOIN TRAFFIC');
    await stack.settled();

    // Assess
    expect(response.status).toBe(200);
    const [reply] = messagesTo(alice);
    expect(reply?.authenticated).toBe(true);
    expect(reply?.form).toMatchObject({ To: alice, From: ourNumber });
    expect(reply?.form.Body).toContain("You're subscribed to Traffic alerts");
    expect(reply?.form.StatusCallback).toMatch(
      new RegExp(`^${stack.publicBaseUrl}/webhooks/twilio/status\\?messageId=reply-twilio-SM[0-9a-f]{32}$`),
    );
  });

  it('refuses a correctly signed webhook for another Twilio account', async () => {
    // Prepare
    const params = { ...client.inboundParams(alice, 'STOP'), AccountSid: `AC${'f'.repeat(32)}` };

    // Act
    const response = await client.postTwilio('/webhooks/twilio/inbound', params);

    // Assess
    expect(response.status).toBe(403);
  });

  it('retries a broadcast message Twilio throttled (429) later, and sends it exactly once', async () => {
    // Prepare
    const before = messagesTo(alice).length;
    twilioApi.failNext({ status: 429, code: 20429, message: 'Too Many Requests' });

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'Bridge closed until 6pm.', priority: 'urgent' });
    await stack.settled(20_000);
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);

    // Assess
    const attempts = messagesTo(alice).slice(before);
    expect(attempts).toHaveLength(2);
    expect(attempts.every((attempt) => attempt.form.Body?.startsWith('Bridge closed until 6pm.'))).toBe(true);
    expect(broadcast.json).toMatchObject({ status: 'sent', counts: { targeted: 1, sent: 1, failed: 0 } });
  });

  it("records Twilio's 'recipient opted out' (21610) as a failure and opts the resident out", async () => {
    // Prepare
    twilioApi.failNext({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'Second notice.', priority: 'normal' });
    await stack.settled(20_000);
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);
    const subscriber = await client.api('GET', `/v1/subscribers/${encodeURIComponent(alice)}`);

    // Assess
    expect(broadcast.json).toMatchObject({ status: 'sent', counts: { targeted: 1, sent: 0, failed: 1 } });
    expect(subscriber.json.optedOut.sms).toBeTypeOf('string');
  });
});
