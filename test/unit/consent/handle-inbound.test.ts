import { describe, expect, it } from 'vitest';
import type { InboundText } from '../../../shared/domain/inbound.js';
import type { Language } from '../../../shared/domain/language.js';
import { renderReply, type ReplyId, type ReplyOverrides, type ReplyParams } from '../../../shared/domain/replies.js';
import { handleInboundText } from '../../../shared/consent/handle-inbound.js';
import type { InboundSettings } from '../../../shared/ports/dependencies.js';
import { AT, aPhone, aTopic, anInboundSettings, anInboundText, inboundEvidence } from '../../support/builders.js';
import { inMemoryInboundDependencies } from '../../support/in-memory-stores.js';

const alice = aPhone(101);
const settings = anInboundSettings();

/** The text a resident is sent, rendered the way the use case must render it. */
function expected(id: ReplyId, language: Language, params: Partial<ReplyParams> = {}, overrides?: ReplyOverrides): string {
  return renderReply(id, language, { serviceName: settings.serviceName, contact: settings.contact, ...params }, overrides);
}

async function setUp(overrides: Partial<InboundSettings> = {}) {
  const world = inMemoryInboundDependencies({ ...settings, ...overrides });
  await world.stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC', 'JAMS'] }));
  await world.stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' }));
  return world;
}

const keywords = ['TRAFFIC', 'YOUTH'];

describe('handleInboundText: the path of one text', () => {
  it('acts on the text, records the consent, queues one reply and finishes the inbound record', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'join traffic' });

    // Act
    const outcome = await handleInboundText(deps, inbound);

    // Assess
    const replyMessageId = `reply-sandbox-${inbound.providerMessageId}`;
    expect(outcome).toEqual({ kind: 'handled', intent: 'subscribe', replyMessageId });
    expect(await stores.subscribers.subscriptions(alice)).toEqual([{ phone: alice, channel: 'sms', topicId: 'traffic', since: AT }]);
    expect(await stores.subscribers.consentHistory(alice)).toEqual([
      {
        at: AT,
        action: 'opt_in',
        channel: 'sms',
        topicId: 'traffic',
        evidence: { kind: 'inbound', provider: 'sandbox', providerMessageId: inbound.providerMessageId, text: 'join traffic' },
      },
    ]);
    expect(replyQueue.sent).toEqual([
      {
        kind: 'reply',
        messageId: replyMessageId,
        to: alice,
        channel: 'sms',
        body: expected('subscribed', 'en', { topicName: 'Traffic alerts' }),
        purpose: 'confirmation',
        // The reply goes from the number she wrote to.
        from: inbound.to,
        department: 'traffic',
      },
    ]);
    expect(stores.inbound.entries.get(`sandbox#${inbound.providerMessageId}`)).toMatchObject({ state: 'done', replyMessageId, body: 'join traffic' });
  });
});

describe('handleInboundText: provider retries', () => {
  it('does nothing twice for a retry of a message it has handled: no second reply, no second consent record', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'JOIN TRAFFIC' });
    await handleInboundText(deps, inbound);
    const consentBefore = await stores.subscribers.consentHistory(alice);

    // Act
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess
    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(replyQueue.sent).toHaveLength(1);
    expect(await stores.subscribers.consentHistory(alice)).toEqual(consentBefore);
    expect(consentBefore).toHaveLength(1);
  });

  it('does nothing for a retry that arrives while the first delivery is still being handled', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'STOP' });
    await stores.inbound.begin(inbound.provider, inbound.providerMessageId, { from: alice, channel: 'sms', body: 'STOP', at: AT });

    // Act
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess
    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(replyQueue.sent).toEqual([]);
    expect(await stores.subscribers.getProfile(alice)).toBeUndefined();
  });

  it('leaves the message unfinished when the reply cannot be queued, so the provider’s later retry is handled once', async () => {
    // Prepare
    const { deps, stores, replyQueue, clock } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'JOIN TRAFFIC' });
    replyQueue.failNextSend(new Error('SQS is down'));
    await expect(handleInboundText(deps, inbound)).rejects.toThrow('SQS is down');
    clock.advance(61_000);

    // Act
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'subscribe' });
    // Subscribed by the first attempt, so the retry's answer says so.
    expect(replyQueue.sent.map((job) => job.body)).toEqual([expected('alreadySubscribed', 'en', { topicName: 'Traffic alerts' })]);
    expect(await stores.topics.subscriberCount('traffic')).toBe(1);
    expect(await stores.subscribers.consentHistory(alice)).toHaveLength(1);
  });
});

describe('handleInboundText: Twilio Advanced Opt-Out', () => {
  const twilioHandled = (type: NonNullable<InboundText['providerHandledOptOut']>, body: string) =>
    anInboundText({ provider: 'twilio', from: alice, body, providerHandledOptOut: type });

  it.each<[NonNullable<InboundText['providerHandledOptOut']>, string, 'optOut' | 'optIn' | 'help']>([
    ['STOP', 'Stop', 'optOut'],
    ['START', 'start', 'optIn'],
    ['HELP', 'help', 'help'],
  ])('records what %s (texted as "%s") means, and sends no reply of its own', async (type, body, intent) => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.subscribers.subscribe(alice, 'sms', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence({ text: 'JOIN TRAFFIC' }));
    // START is only meaningful after a STOP.
    if (type === 'START') await stores.subscribers.optOut(alice, 'sms', '2025-03-01T08:30:00.000Z', inboundEvidence({ text: 'STOP' }));
    const inbound = twilioHandled(type, body);

    // Act
    const outcome = await handleInboundText(deps, inbound);

    // Assess
    expect(outcome).toEqual({ kind: 'handled', intent, replyMessageId: undefined });
    expect(replyQueue.sent).toEqual([]);
    expect(stores.inbound.entries.get(`twilio#${inbound.providerMessageId}`)).toMatchObject({ state: 'done', replyMessageId: undefined });
    const profile = await stores.subscribers.getProfile(alice);
    const subscribed = (await stores.subscribers.subscriptions(alice)).map((s) => s.topicId);
    const lastConsent = (await stores.subscribers.consentHistory(alice)).at(-1);
    const evidence = { kind: 'inbound', provider: 'twilio', providerMessageId: inbound.providerMessageId, text: body };
    const state = {
      STOP: { optedOut: { sms: AT }, subscribed: [], lastConsent: { action: 'opt_out', evidence } },
      START: { optedOut: {}, subscribed: ['traffic'], lastConsent: { action: 'restore', evidence } },
      HELP: { optedOut: {}, subscribed: ['traffic'], lastConsent: { action: 'opt_in' } },
    }[type];
    expect(profile?.optedOut).toEqual(state.optedOut);
    expect(subscribed).toEqual(state.subscribed);
    expect(lastConsent).toMatchObject(state.lastConsent);
  });

  it('follows the provider’s reading of an opt-out over the router’s (a sentence Twilio counted as STOP)', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const outcome = await handleInboundText(deps, twilioHandled('STOP', 'Stop the traffic please'));

    // Assess
    expect(outcome).toMatchObject({ intent: 'optOut' });
    expect((await stores.subscribers.getProfile(alice))?.optedOut.sms).toBe(AT);
  });
});

describe('handleInboundText: flood control (floodLimit 3 in five minutes)', () => {
  async function flood(texts: string[]) {
    const world = await setUp({ floodLimit: 3 });
    const outcomes = [];
    for (const body of texts) outcomes.push(await handleInboundText(world.deps, anInboundText({ from: alice, body })));
    return { ...world, outcomes };
  }

  it('answers three, tells the fourth to slow down once, and answers none after', async () => {
    // Prepare
    const texts = ['HELP', 'HELP', 'HELP', 'HELP', 'HELP', 'HELP'];

    // Act
    const { replyQueue, outcomes } = await flood(texts);

    // Assess
    const help = expected('help', 'en', { keywords });
    expect(replyQueue.sent.map((job) => job.body)).toEqual([help, help, help, expected('slowDown', 'en')]);
    expect(replyQueue.sent[3]).toMatchObject({ purpose: 'answer' });
    expect(outcomes.map((outcome) => outcome.kind === 'handled' && outcome.replyMessageId !== undefined)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('still does what a flooding resident asks, though without an answer', async () => {
    // Prepare
    const texts = ['HELP', 'HELP', 'HELP', 'HELP', 'JOIN YOUTH'];

    // Act
    const { stores, replyQueue } = await flood(texts);

    // Assess
    expect((await stores.subscribers.subscriptions(alice)).map((s) => s.topicId)).toEqual(['youth']);
    expect(replyQueue.sent).toHaveLength(4);
  });

  it('processes AND confirms a STOP in the middle of a flood', async () => {
    // Prepare
    const texts = ['JOIN TRAFFIC', 'HELP', 'HELP', 'HELP', 'HELP', 'STOP', 'HELP'];

    // Act
    const { stores, replyQueue, outcomes } = await flood(texts);

    // Assess
    expect(outcomes[5]).toMatchObject({ kind: 'handled', intent: 'optOut' });
    expect(replyQueue.sent.map((job) => job.purpose)).toEqual(['confirmation', 'help', 'help', 'answer', 'optOutConfirmation']);
    expect(replyQueue.sent.at(-1)?.body).toBe(expected('optedOut', 'en'));
    expect((await stores.subscribers.getProfile(alice))?.optedOut.sms).toBe(AT);
    expect(await stores.subscribers.subscriptions(alice)).toEqual([]);
  });

  it('answers again in the next five minutes', async () => {
    // Prepare
    const { deps, replyQueue, clock } = await flood(['HELP', 'HELP', 'HELP', 'HELP', 'HELP']);
    clock.advance(5 * 60_000);

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'HELP' }));

    // Assess
    expect(replyQueue.sent).toHaveLength(5);
    expect(replyQueue.sent.at(-1)?.body).toBe(expected('help', 'en', { keywords }));
  });

  it('counts each resident on their own', async () => {
    // Prepare
    const { deps, replyQueue } = await flood(['HELP', 'HELP', 'HELP', 'HELP', 'HELP']);

    // Act
    await handleInboundText(deps, anInboundText({ from: aPhone(102), body: 'HELP' }));

    // Assess
    expect(replyQueue.sent.at(-1)).toMatchObject({ to: aPhone(102), body: expected('help', 'en', { keywords }) });
  });
});

describe('handleInboundText: the WhatsApp window', () => {
  it.each([
    ['whatsapp', AT],
    ['sms', undefined],
  ] as const)('a text on %s leaves the window opened at %s', async (channel, openedAt) => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, channel, body: 'JOIN TRAFFIC' }));

    // Assess
    expect((await stores.subscribers.getProfile(alice))?.whatsappWindowOpenedAt).toBe(openedAt);
  });
});

describe('handleInboundText: the language of the reply', () => {
  it.each<[string, Language | undefined, string, Language]>([
    ['English, for a command word in English', undefined, 'HELP', 'en'],
    ['Welsh, for a command word in Welsh', undefined, 'CYMORTH', 'cy'],
    ['Spanish, for a command word in Spanish', undefined, 'AYUDA', 'es'],
    ['English, for a carrier word that tells no language', undefined, 'INFO', 'en'],
    ['the profile’s Welsh, over an English command word', 'cy', 'HELP', 'cy'],
    ['the profile’s Spanish, over a Welsh command word', 'es', 'CYMORTH', 'es'],
    ['the profile’s English, over a Spanish command word', 'en', 'AYUDA', 'en'],
  ])('is %s', async (_case, profileLanguage, body, language) => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    if (profileLanguage) await stores.subscribers.updateProfile(alice, 'sms', { language: profileLanguage }, AT, inboundEvidence({ text: 'LANG' }));

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body }));

    // Assess
    expect(replyQueue.sent.map((job) => job.body)).toEqual([expected('help', language, { keywords })]);
  });

  it('names a topic in the reply’s language', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.topics.create(aTopic({ id: 'bins', name: 'Bin collections', keywords: ['BINS'], aliases: { cy: { name: 'Casgliadau biniau' } } }));
    await stores.subscribers.updateProfile(alice, 'sms', { language: 'cy' }, AT, inboundEvidence({ text: 'IAITH CY' }));

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN BINS' }));

    // Assess
    expect(replyQueue.sent[0]?.body).toBe(expected('subscribed', 'cy', { topicName: 'Casgliadau biniau' }));
  });
});

describe('handleInboundText: operators’ reply texts', () => {
  it('uses the operator’s text for the reply’s language, filled in, with the stop footer', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.replyTexts.setOverride('en', 'subscribed', '{{serviceName}}: {{topicName}} is on. Questions? {{contact}}');
    const overrides = await stores.replyTexts.overrides();

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN TRAFFIC' }));

    // Assess
    const body = expected('subscribed', 'en', { topicName: 'Traffic alerts' }, overrides);
    expect(body).toContain('Cardiff Council alerts: Traffic alerts is on. Questions? 029 2087 2087');
    expect(replyQueue.sent.map((job) => job.body)).toEqual([body]);
  });

  it('keeps the built-in text where the operator wrote one only for another language', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.replyTexts.setOverride('cy', 'subscribed', 'Croeso i {{topicName}}');

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN TRAFFIC' }));

    // Assess
    expect(replyQueue.sent.map((job) => job.body)).toEqual([expected('subscribed', 'en', { topicName: 'Traffic alerts' })]);
  });
});

describe('handleInboundText: a resident under 13', () => {
  it('answers AGE 12 with underAge, keeps nothing in the profile, and redacts the inbound log', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'AGE 12' });

    // Act
    const outcome = await handleInboundText(deps, inbound);

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'underAge' });
    expect(replyQueue.sent).toEqual([expect.objectContaining({ body: expected('underAge', 'en'), purpose: 'answer' })]);
    expect(await stores.subscribers.getProfile(alice)).toBeUndefined();
    expect(await stores.subscribers.consentHistory(alice)).toEqual([]);
    const logged = stores.inbound.entries.get(`sandbox#${inbound.providerMessageId}`);
    expect(logged?.state).toBe('done');
    expect(logged?.body).not.toContain('12');
  });

  it('keeps no age band for a resident who already has a profile', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.updateProfile(alice, 'sms', { area: 'CF10' }, AT, inboundEvidence({ text: 'AREA CF10' }));

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'OED 12' }));

    // Assess
    expect(await stores.subscribers.getProfile(alice)).toMatchObject({ area: 'CF10', ageBand: undefined });
    expect((await stores.subscribers.consentHistory(alice)).map((event) => event.changes)).toEqual([{ area: 'CF10' }]);
  });

  it('forgets the band a resident gave before, records that without the age, and leaves them out of age segments', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.subscribers.updateProfile(alice, 'sms', { ageBand: '13-15' }, AT, inboundEvidence({ text: 'AGE 14' }));

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'AGE 12' }));

    // Assess
    expect((await stores.subscribers.getProfile(alice))?.ageBand).toBeUndefined();
    const last = (await stores.subscribers.consentHistory(alice)).at(-1);
    expect(last).toMatchObject({ action: 'profile', changes: { ageBand: 'removed' }, evidence: { text: '[removed: an age under 13]' } });
    expect(JSON.stringify(last)).not.toContain('12');
  });
});

describe('handleInboundText: the retention of the resident record', () => {
  const TWO_YEARS_AFTER_AT = Date.parse(AT) / 1000 + 730 * 86_400;

  it.each([
    ['a JOIN keeps it (no expiry while subscribed)', ['join traffic'], undefined],
    ['a STOP after a JOIN starts its count-down from the STOP', ['join traffic', 'STOP'], TWO_YEARS_AFTER_AT],
    ['a LEAVE of the only topic does too', ['join traffic', 'leave traffic'], TWO_YEARS_AFTER_AT],
    ['a free-text message from someone subscribed to nothing does too', ['My son is 14, can he join?'], TWO_YEARS_AFTER_AT],
    ['a JOIN after a STOP keeps it again', ['join traffic', 'STOP', 'START'], undefined],
  ])('%s', async (_name, texts, expected) => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    for (const body of texts) await handleInboundText(deps, anInboundText({ from: alice, body }));

    // Assess
    expect(stores.subscribers.recordExpiry.get(alice)).toBe(expected);
  });
});
