import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { renderReply, stopInstructions } from '../../shared/domain/replies.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * What residents can text, end to end on a local stack: joining in their language, profile
 * commands, confirmed opt-in, a STOP that lands in the middle of a broadcast, START, free text
 * reaching the department's inbox, the operator's own wording, a resident flooding, and forged or
 * replayed webhooks.
 */
describe('residents texting the local stack', () => {
  const authToken = 'residents-token';
  const settings = { serviceName: 'Council alerts', contact: 'your council' };
  const phone = (n: number) => `+447700900${String(n).padStart(3, '0')}`;
  let stack: LocalStack;
  let client: LocalStackClient;


  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      // One index shard and a provider paced to 4 a second, so a broadcast of eight takes two
      // seconds: long enough to STOP in the middle of it, whatever the machine's speed.
      sandbox: { failureRate: 0, latencyMs: 20, messagesPerSecond: 4 },
      settings: { topicShards: 1 },
    });
    client = new LocalStackClient(stack, authToken);
    const traffic = await client.api('POST', '/v1/topics', {
      id: 'traffic',
      name: 'Traffic alerts',
      keywords: ['TRAFFIC'],
      aliases: { cy: { name: 'Rhybuddion traffig', keywords: ['TRAFFIG'] } },
    });
    const youth = await client.api('POST', '/v1/topics', {
      id: 'youth',
      name: 'Youth news',
      keywords: ['YOUTH'],
      department: 'youth',
      confirmedOptIn: true,
    });
    expect([traffic.status, youth.status]).toEqual([201, 201]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers a Welsh JOIN in Welsh, with the topic’s Welsh name', async () => {
    // Prepare / Act
    const replies = await client.textAndCollect(phone(301), 'YMUNO TRAFFIG');

    // Assess
    expect(replies).toEqual([renderReply('subscribed', 'cy', { ...settings, topicName: 'Rhybuddion traffig' })]);
    expect(replies[0]).toMatch(new RegExp(`${stopInstructions.cy}$`));
  });

  it('keeps area (district only), language and age band, and records each change', async () => {
    // Prepare
    const resident = phone(302);
    await client.textAndCollect(resident, 'JOIN TRAFFIC');

    // Act
    const area = await client.textAndCollect(resident, 'AREA cf10 1ep');
    const language = await client.textAndCollect(resident, 'LANG espanol');
    const age = await client.textAndCollect(resident, 'AGE 16');
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);

    // Assess
    expect(area).toEqual([renderReply('areaSet', 'en', { ...settings, area: 'CF10' })]);
    expect(language).toEqual([renderReply('languageSet', 'es', { ...settings, language: 'es' })]);
    expect(age).toEqual([renderReply('ageSet', 'es', { ...settings, band: '16-17' })]);
    expect(profile.json).toMatchObject({ area: 'CF10', language: 'es', ageBand: '16-17' });
    const changes = profile.json.consentHistory.filter((event: { action: string }) => event.action === 'profile');
    expect(changes.map((event: { changes: unknown }) => event.changes)).toEqual([
      { area: 'CF10' },
      { language: 'es', languageSource: 'chosen' },
      { ageBand: '16-17' },
    ]);
  });

  it('keeps the language a resident joined in: their next HELP is answered in Welsh', async () => {
    // Prepare
    const resident = phone(310);
    await client.textAndCollect(resident, 'YMUNO TRAFFIG');

    // Act
    const help = await client.textAndCollect(resident, 'HELP');
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);

    // Assess
    expect(help).toEqual([renderReply('help', 'cy', { ...settings, keywords: ['TRAFFIG', 'YOUTH'] })]);
    expect(profile.json).toMatchObject({ language: 'cy' });
    const changes = profile.json.consentHistory.filter((event: { action: string }) => event.action === 'profile');
    expect(changes).toEqual([expect.objectContaining({ changes: { language: 'cy', languageSource: 'inferred' }, evidence: expect.objectContaining({ text: 'YMUNO TRAFFIG' }) })]);
  });

  it('tells an under-13 they cannot join, and keeps nothing about them', async () => {
    // Prepare
    const child = phone(303);

    // Act
    const replies = await client.textAndCollect(child, 'AGE 12');
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(child)}`);

    // Assess
    expect(replies).toEqual([renderReply('underAge', 'en', settings)]);
    expect(profile.status).toBe(404);
  });

  it('asks for YES on a confirmed-opt-in topic, and subscribes only after it', async () => {
    // Prepare
    const resident = phone(304);

    // Act
    const prompt = await client.textAndCollect(resident, 'JOIN YOUTH');
    const before = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);
    const confirmation = await client.textAndCollect(resident, 'yes');
    const after = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);

    // Assess
    expect(prompt).toEqual([renderReply('confirmPrompt', 'en', { ...settings, topicName: 'Youth news' })]);
    expect(before.json.subscriptions).toEqual([]);
    expect(confirmation).toEqual([renderReply('confirmed', 'en', { ...settings, topicName: 'Youth news' })]);
    expect(after.json.subscriptions.map((s: { topicId: string }) => s.topicId)).toEqual(['youth']);
    expect(after.json.consentHistory.map((event: { action: string }) => event.action)).toEqual(['opt_in_requested', 'confirm']);
  });

  it('honours a STOP that arrives in the middle of a broadcast: nothing but the confirmation after it', async () => {
    // Prepare: eight subscribers, in one index shard, sent to one after another
    const residents = [311, 312, 313, 314, 315, 316, 317, 318].map(phone);
    for (const resident of residents) await client.text(resident, 'JOIN TRAFFIC');
    await stack.settled();
    const last = residents.at(-1)!;

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'Roadworks on Queen St from Monday.' });
    // In the middle: once the broadcast's first message has gone out (the pacing leaves the last
    // resident's about two seconds after it).
    await expect
      .poll(async () => (await client.outbox()).some((message) => message.body.startsWith('Roadworks on Queen St')), { timeout: 20_000, interval: 20 })
      .toBe(true);
    const stop = await client.text(last, 'STOP');
    await stack.settled();
    const broadcast = await client.api('GET', `/v1/broadcasts/${created.json.id}`);

    // Assess
    expect(stop.status).toBe(200);
    const lastMessages = (await client.outbox(last)).map((message) => message.body);
    expect(lastMessages.at(-1)).toBe(renderReply('optedOut', 'en', settings));
    expect(lastMessages.some((body) => body.startsWith('Roadworks on Queen St'))).toBe(false);
    const { targeted, sent, failed, skipped } = broadcast.json.counts;
    expect(broadcast.json.status).toBe('sent');
    expect(sent + failed + skipped).toBe(targeted);
    expect(skipped).toBeGreaterThanOrEqual(1);
    for (const resident of residents.slice(0, 3)) {
      const received = (await client.outbox(resident)).filter((message) => message.body.startsWith('Roadworks on Queen St'));
      expect(received).toHaveLength(1);
    }
  });

  it('brings back the topics held at STOP when the resident texts START', async () => {
    // Prepare
    const resident = phone(318);

    // Act
    const replies = await client.textAndCollect(resident, 'START');
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident)}`);

    // Assess
    expect(replies).toEqual([renderReply('restored', 'en', { ...settings, topicNames: ['Traffic alerts'] })]);
    expect(profile.json.optedOut).toEqual({});
    expect(profile.json.subscriptions.map((s: { topicId: string }) => s.topicId)).toEqual(['traffic']);
  });

  it('puts free text in the department’s inbox, linked to the broadcast it answers, acknowledged once a day', async () => {
    // Prepare
    const resident = phone(311);

    // Act
    const first = await client.textAndCollect(resident, 'Is Queen St open for buses?');
    const second = await client.textAndCollect(resident, 'Thanks');
    const inbox = await client.api('GET', '/v1/inbox?department=general');

    // Assess
    expect(first).toEqual([renderReply('inboxAcknowledgement', 'en', settings)]);
    expect(second).toEqual([]);
    const mine = inbox.json.messages.filter((message: { from: string }) => message.from === resident);
    expect(mine.map((message: { body: string }) => message.body)).toEqual(['Thanks', 'Is Queen St open for buses?']);
    expect(mine[1]).toMatchObject({ topicId: 'traffic', handled: false });
    expect(mine[1].broadcastId).toMatch(/^[0-9a-z]{26}$/);
  });

  it("answers HELP in the operator's own words, still ending with how to stop", async () => {
    // Prepare
    const saved = await client.api('PUT', '/v1/replies/en/help', { text: '{{serviceName}}: text JOIN and a topic ({{keywords}}). Call 029 2087 2087.' });
    const refused = await client.api('PUT', '/v1/replies/en/help', { text: 'Hello {{nmae}}' });

    // Act
    const replies = await client.textAndCollect(phone(305), 'HELP');

    // Assess
    expect(saved.status).toBe(200);
    expect(refused.status).toBe(400);
    expect(refused.json.details[0]).toMatchObject({ field: 'text' });
    expect(replies).toEqual([`Council alerts: text JOIN and a topic (TRAFFIC, YOUTH). Call 029 2087 2087. ${stopInstructions.en}`]);
  });

  it('stops replying to a resident who floods, but still honours and confirms their STOP', async () => {
    // Prepare
    const flooder = phone(306);
    const before = (await client.outbox(flooder)).length;

    // Act
    for (let n = 0; n < 22; n += 1) await client.text(flooder, `hello ${n}`);
    // Let the replies go out first: anything still queued when the STOP lands is (rightly) not sent.
    await stack.settled();
    const stop = await client.text(flooder, 'STOP');
    await stack.settled();

    // Assess
    expect(stop.status).toBe(200);
    const replies = (await client.outbox(flooder)).slice(before).map((message) => message.body);
    expect(replies).toContain(renderReply('slowDown', 'en', settings));
    expect(replies.at(-1)).toBe(renderReply('optedOut', 'en', settings));
    expect(replies.length).toBeLessThanOrEqual(3);
  });

  it('acts once on a replayed webhook and refuses a forged one, storing nothing', async () => {
    // Prepare
    const resident = phone(307);
    const params = client.inboundParams(resident, 'JOIN TRAFFIC');

    // Act
    await client.postTwilio('/webhooks/twilio/inbound', params);
    await client.postTwilio('/webhooks/twilio/inbound', params);
    const forged = await client.postTwilio('/webhooks/twilio/inbound', client.inboundParams(phone(308), 'JOIN TRAFFIC'), 'not-a-signature');
    await stack.settled();

    // Assess
    expect(await client.outbox(resident)).toHaveLength(1);
    expect(forged.status).toBe(403);
    expect((await client.api('GET', `/v1/subscribers/${encodeURIComponent(phone(308))}`)).status).toBe(404);
  });
});
