import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import statusDelivered from '../../events/whatsapp-cloud/status-delivered.json';
import textJoin from '../../events/whatsapp-cloud/text-join.json';
import reaction from '../../events/whatsapp-cloud/reaction.json';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

interface OutboxMessage {
  to: string;
  channel: 'sms' | 'whatsapp';
  body: string;
}

/**
 * Meta's WhatsApp Cloud API webhook on the local stack: the verify-token handshake, signed
 * messages acted on like any other inbound text (answered on WhatsApp through the send queue),
 * retries recognised by their wamid, forgeries refused before anything is stored.
 */
describe('the WhatsApp Cloud API webhook on the local stack', () => {
  const authToken = 'e2e-twilio-token';
  const verifyToken = 'e2e-whatsapp-verify-token';
  const appSecret = 'e2e-whatsapp-app-secret';
  let stack: LocalStack;
  let client: LocalStackClient;
  let sequence = 0;

  const webhookUrl = () => `${stack.baseUrl}/webhooks/whatsapp`;

  /** Meta's signature (HMAC-SHA256 of the body bytes under the app secret), computed as documented. */
  const sign = (body: string, secret = appSecret) =>
    `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;

  /** Posts a body exactly as given, signed unless a signature (or null, for none) is passed. */
  const post = (body: string, signature: string | null = sign(body)) =>
    fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
      body,
    });

  /** A text from a resident, as Meta posts it: digits without '+', a fresh wamid. */
  const textFrom = (phone: string, text: string) => {
    sequence += 1;
    const payload = structuredClone(textJoin);
    const value = payload.entry[0]!.changes[0]!.value;
    const [message] = value.messages;
    const [contact] = value.contacts;
    message!.from = phone.slice(1);
    message!.id = `wamid.E2E${String(sequence).padStart(8, '0')}`;
    message!.text.body = text;
    contact!.wa_id = phone.slice(1);
    // Raw UTF-8 in the body: the signature holds only if the gateway passes the bytes through as sent.
    contact!.profile.name = 'Siân Ó Briain 👍';
    return JSON.stringify(payload);
  };

  const outbox = async (to: string): Promise<OutboxMessage[]> => {
    const response = await fetch(`${stack.baseUrl}/sandbox/messages?to=${encodeURIComponent(to)}`);
    return ((await response.json()) as { messages: OutboxMessage[] }).messages;
  };

  const profileStatus = async (phone: string) => (await client.api('GET', `/v1/subscribers/${encodeURIComponent(phone)}`)).status;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      whatsapp: { verifyToken, appSecret },
      sandbox: { failureRate: 0 },
    });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers Meta\'s verification request with the challenge, as plain text', async () => {
    // Prepare
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': verifyToken });

    // Act
    const response = await fetch(`${webhookUrl()}?${query}`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  it('refuses a verification request with another verify token (403) or without a challenge (400)', async () => {
    // Prepare
    const wrongToken = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'guess' });
    const noChallenge = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken });

    // Act
    const refused = await fetch(`${webhookUrl()}?${wrongToken}`);
    const incomplete = await fetch(`${webhookUrl()}?${noChallenge}`);

    // Assess
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining('hub.verify_token') });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.json()).toMatchObject({ details: [{ field: 'hub.challenge', message: 'is required' }] });
  });

  it('refuses a forged, altered or unsigned message with 403 and stores nothing', async () => {
    // Prepare
    const resident = '+447700900301';
    const body = textFrom(resident, 'JOIN TRAFFIC');
    const altered = body.replace('JOIN TRAFFIC', 'JOIN TRAFFIC ');

    // Act
    const forged = await post(body, sign(body, 'not-the-app-secret'));
    const tampered = await post(altered, sign(body));
    const unsigned = await post(body, null);
    await stack.settled();

    // Assess
    expect([forged.status, tampered.status, unsigned.status]).toEqual([403, 403, 403]);
    expect(await profileStatus(resident)).toBe(404);
    expect(await outbox(resident)).toEqual([]);
  });

  it('subscribes a resident who texts JOIN TRAFFIC on WhatsApp, and confirms on WhatsApp through the send queue', async () => {
    // Prepare
    const resident = '+447700900302';
    const body = textFrom(resident, 'JOIN TRAFFIC');

    // Act
    const response = await post(body);
    await stack.settled();

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messages: 1, statuses: 0, skipped: 0 });
    const messages = await outbox(resident);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channel: 'whatsapp', body: expect.stringContaining("You're subscribed to Traffic alerts") });
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);
    expect(profile.json.subscriptions).toEqual([expect.objectContaining({ topicId: 'traffic', channel: 'whatsapp' })]);
  });

  it('acts once on a message Meta delivers twice (same wamid)', async () => {
    // Prepare
    const resident = '+447700900303';
    const body = textFrom(resident, 'JOIN TRAFFIC');

    // Act
    const first = await post(body);
    await stack.settled();
    const replay = await post(body);
    await stack.settled();

    // Assess
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await outbox(resident)).toHaveLength(1);
  });

  it('answers 200 to a message type it does not act on, and replies nothing', async () => {
    // Prepare
    const resident = '+447700900123';
    const body = JSON.stringify(structuredClone(reaction));

    // Act
    const response = await post(body);
    await stack.settled();

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messages: 0, statuses: 0, skipped: 1 });
    expect(await outbox(resident)).toEqual([]);
  });

  it('answers 200 to a signed status for a message it does not know, counting it as skipped', async () => {
    // Prepare
    const unknown = structuredClone(statusDelivered);
    unknown.entry[0]!.changes[0]!.value.statuses[0]!.biz_opaque_callback_data = '01J0NOSUCHMESSAGE000000000';
    const body = JSON.stringify(unknown);

    // Act
    const response = await post(body);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messages: 0, statuses: 0, skipped: 1 });
  });

  it('refuses a signed body that is not a WhatsApp payload with 400 naming the field', async () => {
    // Prepare
    const body = JSON.stringify({ ...structuredClone(textJoin), object: 'page' });

    // Act
    const response = await post(body);

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ details: [{ field: 'object' }] });
  });

  it("counts a topic's subscribers by channel and by language in GET /v1/topics/{id} and the list, after JOINs on SMS and WhatsApp and a LANG", async () => {
    // Prepare
    expect((await client.api('POST', '/v1/topics', { id: 'counted', name: 'Counted news', keywords: ['COUNTED'] })).status).toBe(201);
    const [both, welsh] = ['+447700900311', '+447700900312'];

    // Act
    await client.text(both, 'JOIN COUNTED');
    await post(textFrom(both, 'JOIN COUNTED'));
    await client.text(welsh, 'JOIN COUNTED');
    await client.text(welsh, 'LANG CY');
    await stack.settled();
    const one = (await client.api('GET', '/v1/topics/counted')).json;
    const list = (await client.api('GET', '/v1/topics')).json as { topics: Array<{ id: string; subscriberCounts: unknown }> };

    // Assess
    const expected = { total: 3, byChannel: { sms: 2, whatsapp: 1 }, byLanguage: { en: 0, cy: 1, es: 0, none: 2 } };
    expect(one).toMatchObject({ subscribers: 3, subscriberCounts: expected });
    expect(list.topics.find((topic) => topic.id === 'counted')?.subscriberCounts).toEqual(expected);
  });
});
