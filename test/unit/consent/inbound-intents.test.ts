import { describe, expect, it } from 'vitest';
import type { InboundText } from '../../../shared/domain/inbound.js';
import { inboxEntryId } from '../../../shared/inbox/entry-id.js';
import type { Intent } from '../../../shared/consent/keyword-router.js';
import type { Language } from '../../../shared/domain/language.js';
import type { Channel, ConsentAction } from '../../../shared/domain/model.js';
import { renderReply, type ReplyId, type ReplyParams } from '../../../shared/domain/replies.js';
import type { MessageRecord } from '../../../shared/sending/message-store.js';
import { handleInboundText } from '../../../shared/consent/handle-inbound.js';
import { intentHandlers } from '../../../shared/consent/intents.js';
import { broadcastMessageId } from '../../../shared/sending/send.js';
import { archiveTopic } from '../../../shared/topics/manage-topics.js';
import { AT, aBroadcast, aMessageRecord, aPhone, aPrincipal, aTopic, anInboundSettings, anInboundText, inboundEvidence } from '../../support/builders.js';
import { inMemoryInboundDependencies } from '../../support/in-memory-stores.js';

const alice = aPhone(101);
const settings = anInboundSettings();
const HOUR = 60 * 60_000;

/** A reply as the resident reads it; `undefined` when no reply is expected. */
type ExpectedReply = [id: ReplyId, language: Language, params?: Partial<ReplyParams>];

function rendered([id, language, params]: ExpectedReply): string {
  return renderReply(id, language, { serviceName: settings.serviceName, contact: settings.contact, ...params });
}

const keywords = ['TRAFFIC', 'YOUTH'];
/** What a Welsh reader is told to text: the Welsh alias where a topic has one. */
const welshKeywords = ['TRAFFIG', 'YOUTH'];

/**
 * Two topics: traffic (with a Welsh name and keyword) joins at once; youth asks for a YES first.
 * `subscribed` lists alice's topics on SMS before the test's text.
 */
async function setUp({ subscribed = [] as string[], timeZone = 'Europe/London' } = {}) {
  const world = inMemoryInboundDependencies({ timeZone });
  await world.stores.topics.create(
    aTopic({
      id: 'traffic',
      name: 'Traffic alerts',
      keywords: ['TRAFFIC', 'JAMS'],
      department: 'traffic',
      aliases: { cy: { name: 'Rhybuddion traffig', keywords: ['TRAFFIG'] } },
    }),
  );
  await world.stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth', confirmedOptIn: true }));
  for (const topicId of subscribed) {
    await world.stores.subscribers.subscribe(alice, 'sms', topicId, '2025-03-01T08:00:00.000Z', inboundEvidence({ text: topicId }));
  }
  /** Texts `body` from alice, and returns the outcome with the bodies of the replies it queued. */
  const text = async (body: string, overrides: Partial<InboundText> = {}) => {
    const before = world.replyQueue.sent.length;
    const inbound = anInboundText({ from: alice, body, ...overrides });
    const outcome = await handleInboundText(world.deps, inbound);
    return { outcome, inbound, replies: world.replyQueue.sent.slice(before).map((job) => job.body) };
  };
  const topicsOf = async (channel: Channel = 'sms') =>
    (await world.stores.subscribers.subscriptions(alice)).filter((s) => s.channel === channel).map((s) => s.topicId);
  const actions = async (): Promise<ConsentAction[]> => (await world.stores.subscribers.consentHistory(alice)).map((event) => event.action);
  return { ...world, text, topicsOf, actions };
}

describe('intentHandlers: one handler per intent kind', () => {
  /**
   * Alice is subscribed to traffic; each text routes to its kind and gets this reply, whose cost
   * goes to the department of the topic it is about (or of the inbox the text reached), else general's.
   */
  const rows: { [K in Intent['kind']]: { body: string; reply: ExpectedReply; department: string } } = {
    optOut: { body: 'STOP', reply: ['optedOut', 'en'], department: 'general' },
    leaveTopic: { body: 'STOP TRAFFIC', reply: ['leftTopic', 'en', { topicName: 'Traffic alerts' }], department: 'traffic' },
    optIn: { body: 'START', reply: ['restored', 'en', { topicNames: [] }], department: 'general' },
    help: { body: 'HELP', reply: ['help', 'en', { keywords }], department: 'general' },
    subscribe: { body: 'JOIN YOUTH', reply: ['confirmPrompt', 'en', { topicName: 'Youth news' }], department: 'youth' },
    listTopics: { body: 'TOPICS', reply: ['topicsList', 'en', { keywords, subscribedNames: ['Traffic alerts'] }], department: 'general' },
    setArea: { body: 'AREA CF10', reply: ['areaSet', 'en', { area: 'CF10' }], department: 'general' },
    invalidArea: { body: 'AREA NOWHERE', reply: ['invalidArea', 'en', { word: 'NOWHERE' }], department: 'general' },
    setLanguage: { body: 'LANG CY', reply: ['languageSet', 'cy', { language: 'cy' }], department: 'general' },
    invalidLanguage: { body: 'LANG KLINGON', reply: ['invalidLanguage', 'en', { word: 'KLINGON' }], department: 'general' },
    setAge: { body: 'AGE 16', reply: ['ageSet', 'en', { band: '16-17' }], department: 'general' },
    underAge: { body: 'AGE 12', reply: ['underAge', 'en'], department: 'general' },
    invalidAge: { body: 'AGE OLD', reply: ['invalidAge', 'en', { word: 'OLD' }], department: 'general' },
    confirm: { body: 'YES', reply: ['inboxAcknowledgement', 'en'], department: 'traffic' },
    unrecognised: { body: 'The lights on Queen St are out', reply: ['inboxAcknowledgement', 'en'], department: 'traffic' },
  };

  it('has a row for every handler', () => {
    // Prepare
    const handled = Object.keys(intentHandlers).sort();

    // Act
    const tested = Object.keys(rows).sort();

    // Assess
    expect(tested).toEqual(handled);
  });

  it.each(Object.entries(rows))('%s: answers %j', async (kind, { body, reply, department }) => {
    // Prepare
    const { text, replyQueue } = await setUp({ subscribed: ['traffic'] });

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: kind });
    expect(replies).toEqual([rendered(reply)]);
    expect(replyQueue.sent.at(-1)).toMatchObject({ kind: 'reply', department });
  });
});

describe('optOut', () => {
  it.each<[string, boolean, ExpectedReply[], ConsentAction[]]>([
    ['newly opted out: confirmed once', false, [['optedOut', 'en']], ['opt_in', 'opt_out']],
    ['already opted out: silence, and nothing new recorded', true, [], ['opt_in', 'opt_out']],
  ])('%s', async (_case, stoppedBefore, expectedReplies, expectedActions) => {
    // Prepare
    const { text, topicsOf, actions, stores } = await setUp({ subscribed: ['traffic'] });
    if (stoppedBefore) await text('STOP');

    // Act
    const { outcome, replies } = await text('stop please');

    // Assess
    expect(outcome).toMatchObject({ intent: 'optOut' });
    expect(replies).toEqual(expectedReplies.map(rendered));
    expect(await topicsOf()).toEqual([]);
    expect((await stores.subscribers.getProfile(alice))?.optedOut).toEqual({ sms: AT });
    expect(await actions()).toEqual(expectedActions);
  });
});

describe('leaveTopic', () => {
  it.each<[string, string, string[], ExpectedReply, string[], boolean]>([
    ['a topic the resident has', 'STOP TRAFFIC', ['traffic', 'youth'], ['leftTopic', 'en', { topicName: 'Traffic alerts' }], ['youth'], false],
    ['a topic the resident has, in Welsh', 'GADAEL TRAFFIG', ['traffic'], ['leftTopic', 'cy', { topicName: 'Rhybuddion traffig' }], [], false],
    ['a topic the resident does not have', 'LEAVE TRAFFIC', ['youth'], ['notSubscribedToTopic', 'en', { topicName: 'Traffic alerts' }], ['youth'], false],
    // The router's ambiguity rule: STOP and a word that is no topic is a full opt-out.
    ['a word that is no topic: a full opt-out', 'STOP NONSENSE', ['traffic', 'youth'], ['optedOut', 'en'], [], true],
  ])('%s (%s)', async (_case, body, before, reply, after, optedOut) => {
    // Prepare
    const { text, topicsOf, stores } = await setUp({ subscribed: before });

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'leaveTopic' });
    expect(replies).toEqual([rendered(reply)]);
    expect(await topicsOf()).toEqual(after);
    expect((await stores.subscribers.getProfile(alice))?.optedOut.sms !== undefined).toBe(optedOut);
  });

  it('records the leave as a consent change with the text as evidence', async () => {
    // Prepare
    const { text, stores } = await setUp({ subscribed: ['traffic'] });

    // Act
    const { inbound } = await text('STOP TRAFFIC');

    // Assess
    expect((await stores.subscribers.consentHistory(alice)).at(-1)).toEqual({
      at: AT,
      action: 'leave',
      channel: 'sms',
      topicId: 'traffic',
      evidence: { kind: 'inbound', provider: 'sandbox', providerMessageId: inbound.providerMessageId, text: 'STOP TRAFFIC' },
    });
  });

  it('records nothing for a topic the resident does not have', async () => {
    // Prepare
    const { text, actions } = await setUp({ subscribed: ['youth'] });

    // Act
    await text('LEAVE TRAFFIC');

    // Assess
    expect(await actions()).toEqual(['opt_in']);
  });
});

describe('optIn', () => {
  it.each<[string, string[], boolean, ExpectedReply, string[]]>([
    ['restores the topics held at STOP and names them', ['traffic', 'youth'], true, ['restored', 'en', { topicNames: ['Traffic alerts', 'Youth news'] }], ['traffic', 'youth']],
    ['answers a resident who never stopped with no topics', ['traffic'], false, ['restored', 'en', { topicNames: [] }], ['traffic']],
  ])('%s', async (_case, before, stop, reply, after) => {
    // Prepare
    const { text, topicsOf, stores } = await setUp({ subscribed: before });
    if (stop) await text('STOP');

    // Act
    const { outcome, replies } = await text('START');

    // Assess
    expect(outcome).toMatchObject({ intent: 'optIn' });
    expect(replies).toEqual([rendered(reply)]);
    expect(await topicsOf()).toEqual(after);
    expect((await stores.subscribers.getProfile(alice))?.optedOut).toEqual({});
  });
});

describe('archived topics take no one back', () => {
  const operator = aPrincipal({ role: 'operator', department: '*' });

  it('START restores only the held topics that are not archived', async () => {
    // Prepare
    const { text, topicsOf, deps } = await setUp({ subscribed: ['traffic', 'youth'] });
    await text('STOP');
    await archiveTopic(deps, operator, 'youth');

    // Act
    const { replies } = await text('START');

    // Assess
    expect(replies).toEqual([rendered(['restored', 'en', { topicNames: ['Traffic alerts'] }])]);
    expect(await topicsOf()).toEqual(['traffic']);
  });

  it('a YES to a JOIN made before the topic was archived subscribes to nothing', async () => {
    // Prepare
    const { text, topicsOf, deps } = await setUp();
    await text('JOIN YOUTH');
    await archiveTopic(deps, operator, 'youth');

    // Act
    const { replies } = await text('YES');

    // Assess
    expect(replies).toEqual([rendered(['nothingToConfirm', 'en', { keywords: ['TRAFFIC'] }])]);
    expect(await topicsOf()).toEqual([]);
  });
});

describe('help', () => {
  it.each<[string, ExpectedReply]>([
    ['HELP', ['help', 'en', { keywords }]],
    ['CYMORTH', ['help', 'cy', { keywords: welshKeywords }]],
  ])('answers %s with the keyword of every topic, in the reader’s language', async (body, reply) => {
    // Prepare
    const { text } = await setUp();

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'help' });
    expect(replies).toEqual([rendered(reply)]);
  });
});

describe('subscribe', () => {
  it.each<[string, string, string[], ExpectedReply, string[], ConsentAction[], number]>([
    ['an explicit JOIN of an unknown topic', 'JOIN YOOTH', [], ['unknownTopic', 'en', { word: 'YOOTH', keywords }], [], [], 0],
    ['a bare word that is no keyword goes to the inbox', 'POTHOLE', [], ['inboxAcknowledgement', 'en'], [], [], 1],
    ['a topic that joins at once', 'JAMS', [], ['subscribed', 'en', { topicName: 'Traffic alerts' }], ['traffic'], ['opt_in'], 0],
    ['a topic already held', 'JOIN TRAFFIC', ['traffic'], ['alreadySubscribed', 'en', { topicName: 'Traffic alerts' }], ['traffic'], ['opt_in'], 0],
    ['a confirmed-opt-in topic asks for YES first', 'JOIN YOUTH', [], ['confirmPrompt', 'en', { topicName: 'Youth news' }], [], ['opt_in_requested'], 0],
    ['a confirmed-opt-in topic already held', 'YOUTH', ['youth'], ['alreadySubscribed', 'en', { topicName: 'Youth news' }], ['youth'], ['opt_in'], 0],
  ])('%s (%s)', async (_case, body, before, reply, after, expectedActions, inboxEntries) => {
    // Prepare
    const { text, topicsOf, actions, stores } = await setUp({ subscribed: before });

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'subscribe' });
    expect(replies).toEqual([rendered(reply)]);
    expect(await topicsOf()).toEqual(after);
    expect(await actions()).toEqual(expectedActions);
    expect(stores.inbox.entries).toHaveLength(inboxEntries);
  });

  it('keeps a JOIN to a confirmed-opt-in topic pending, with the request as evidence', async () => {
    // Prepare
    const { text, stores } = await setUp();

    // Act
    const { inbound } = await text('JOIN YOUTH');

    // Assess
    expect(await stores.subscribers.consentHistory(alice)).toEqual([
      {
        at: AT,
        action: 'opt_in_requested',
        channel: 'sms',
        topicId: 'youth',
        evidence: { kind: 'inbound', provider: 'sandbox', providerMessageId: inbound.providerMessageId, text: 'JOIN YOUTH' },
      },
    ]);
    expect(await stores.subscribers.takePendingConfirmation(alice, 'sms')).toEqual({ topicId: 'youth', channel: 'sms', requestedAt: AT });
  });
});

describe('confirm', () => {
  it.each<[string, string, number, ExpectedReply, string[], ConsentAction[]]>([
    ['YES within 24 hours joins', 'YES', 24 * HOUR - 60_000, ['confirmed', 'en', { topicName: 'Youth news' }], ['youth'], ['opt_in_requested', 'confirm']],
    // The Welsh IE is kept as the resident's language: a profile record beside the confirmation.
    ['IE (Welsh) within 24 hours joins, answered in Welsh', 'IE', HOUR, ['confirmed', 'cy', { topicName: 'Youth news' }], ['youth'], ['opt_in_requested', 'confirm', 'profile']],
    ['YES after 24 hours does not', 'YES', 24 * HOUR + 60_000, ['nothingToConfirm', 'en', { keywords }], [], ['opt_in_requested']],
  ])('%s', async (_case, body, wait, reply, after, expectedActions) => {
    // Prepare
    const { text, topicsOf, actions, clock } = await setUp();
    await text('JOIN YOUTH');
    clock.advance(wait);

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'confirm' });
    expect(replies).toEqual([rendered(reply)]);
    expect(await topicsOf()).toEqual(after);
    expect(await actions()).toEqual(expectedActions);
  });

  it('records the YES itself as the evidence of the confirmed subscription', async () => {
    // Prepare
    const { text, stores, clock } = await setUp();
    await text('JOIN YOUTH');
    clock.advance(HOUR);

    // Act
    const { inbound } = await text('yes');

    // Assess
    expect((await stores.subscribers.consentHistory(alice)).at(-1)).toEqual({
      at: new Date(Date.parse(AT) + HOUR).toISOString(),
      action: 'confirm',
      channel: 'sms',
      topicId: 'youth',
      evidence: { kind: 'inbound', provider: 'sandbox', providerMessageId: inbound.providerMessageId, text: 'yes' },
    });
  });

  it('sends a YES with nothing pending to the inbox, as an answer to a person', async () => {
    // Prepare
    const { text, stores, topicsOf } = await setUp({ subscribed: ['traffic'] });

    // Act
    const { outcome, replies } = await text('Yes');

    // Assess
    expect(outcome).toMatchObject({ intent: 'confirm' });
    expect(replies).toEqual([rendered(['inboxAcknowledgement', 'en'])]);
    expect(stores.inbox.entries.map((entry) => [entry.department, entry.body])).toEqual([['traffic', 'Yes']]);
    expect(await topicsOf()).toEqual(['traffic']);
  });

  it('takes a pending JOIN once: a second YES goes to the inbox', async () => {
    // Prepare
    const { text, stores } = await setUp();
    await text('JOIN YOUTH');
    await text('YES');

    // Act
    const { replies } = await text('YES');

    // Assess
    expect(replies).toEqual([rendered(['inboxAcknowledgement', 'en'])]);
    expect(stores.inbox.entries.map((entry) => entry.body)).toEqual(['YES']);
  });

  it('confirms only on the channel the JOIN came from', async () => {
    // Prepare
    const { text, topicsOf } = await setUp();
    await text('JOIN YOUTH', { channel: 'whatsapp' });

    // Act
    await text('YES', { channel: 'sms' });

    // Assess
    expect(await topicsOf('sms')).toEqual([]);
    expect(await topicsOf('whatsapp')).toEqual([]);
  });
});

describe('listTopics', () => {
  it.each<[string, string, { channel: Channel; topics: string[] }, ExpectedReply]>([
    ['marks the resident’s topics', 'TOPICS', { channel: 'sms', topics: ['traffic'] }, ['topicsList', 'en', { keywords, subscribedNames: ['Traffic alerts'] }]],
    ['marks none for a resident with none', 'LIST', { channel: 'sms', topics: [] }, ['topicsList', 'en', { keywords, subscribedNames: [] }]],
    ['marks only the topics on the channel asked from', 'TOPICS', { channel: 'whatsapp', topics: ['traffic'] }, ['topicsList', 'en', { keywords, subscribedNames: [] }]],
    ['lists in Welsh with the Welsh names and keywords', 'PYNCIAU', { channel: 'sms', topics: ['traffic'] }, ['topicsList', 'cy', { keywords: welshKeywords, subscribedNames: ['Rhybuddion traffig'] }]],
    ['JOIN alone names no topic: the list', 'JOIN', { channel: 'sms', topics: [] }, ['topicsList', 'en', { keywords, subscribedNames: [] }]],
  ])('%s (%s)', async (_case, body, subscribed, reply) => {
    // Prepare
    const { text, stores } = await setUp();
    for (const topicId of subscribed.topics) await stores.subscribers.subscribe(alice, subscribed.channel, topicId, AT, inboundEvidence());

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'listTopics' });
    expect(replies).toEqual([rendered(reply)]);
  });
});

describe('profile: area, language, age', () => {
  // A Welsh or Spanish command word is also kept as the resident's language: its own record,
  // beside the change the command asked for (the language's first: its key sorts first).
  const inferredCy = { language: 'cy', languageSource: 'inferred' };
  const inferredEs = { language: 'es', languageSource: 'inferred' };
  it.each<[Intent['kind'], string, ExpectedReply, Record<string, string>[]]>([
    ['setArea', 'AREA cf10 1ep', ['areaSet', 'en', { area: 'CF10' }], [{ area: 'CF10' }]],
    ['setArea', 'ARDAL CF24', ['areaSet', 'cy', { area: 'CF24' }], [inferredCy, { area: 'CF24' }]],
    ['invalidArea', 'AREA NOWHERE', ['invalidArea', 'en', { word: 'NOWHERE' }], []],
    ['setLanguage', 'LANG CY', ['languageSet', 'cy', { language: 'cy' }], [{ language: 'cy', languageSource: 'chosen' }]],
    ['setLanguage', 'Español', ['languageSet', 'es', { language: 'es' }], [{ language: 'es', languageSource: 'chosen' }]],
    // The Welsh IAITH chooses English: one record, the choice, and no Welsh inferred beside it.
    ['setLanguage', 'IAITH SAESNEG', ['languageSet', 'en', { language: 'en' }], [{ language: 'en', languageSource: 'chosen' }]],
    ['invalidLanguage', 'LANG KLINGON', ['invalidLanguage', 'en', { word: 'KLINGON' }], []],
    ['setAge', 'AGE 15', ['ageSet', 'en', { band: '13-15' }], [{ ageBand: '13-15' }]],
    ['setAge', 'EDAD 30 años', ['ageSet', 'es', { band: '25+' }], [inferredEs, { ageBand: '25+' }]],
    // Nothing is kept about a child, not even the language of EDAD.
    ['underAge', 'AGE 12', ['underAge', 'en'], []],
    ['underAge', 'EDAD 12', ['underAge', 'es'], []],
    ['invalidAge', 'AGE OLD', ['invalidAge', 'en', { word: 'OLD' }], []],
  ])('%s: %s', async (kind, body, reply, changes) => {
    // Prepare
    const { text, stores } = await setUp();

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: kind });
    expect(replies).toEqual([rendered(reply)]);
    const history = await stores.subscribers.consentHistory(alice);
    expect(history.map((event) => [event.action, event.changes])).toEqual(changes.map((change) => ['profile', change]));
    const profile = await stores.subscribers.getProfile(alice);
    if (changes.length > 0) expect(profile).toMatchObject(Object.assign({}, ...changes));
    else expect(profile).toBeUndefined();
  });

  it('answers a language change in the NEW language, over the one held before', async () => {
    // Prepare
    const { text } = await setUp();
    await text('LANG CY');

    // Act
    const { replies } = await text('IDIOMA INGLES');

    // Assess
    expect(replies).toEqual([rendered(['languageSet', 'en', { language: 'en' }])]);
  });
});

describe('unrecognised: the department’s inbox', () => {
  /** A broadcast to `topic` at `createdAt`, and what became of its message to alice (none: never sent to her). */
  async function broadcastTo(
    stores: Awaited<ReturnType<typeof setUp>>['stores'],
    id: string,
    topic: string,
    createdAt: string,
    status: MessageRecord['status'] | undefined,
  ): Promise<void> {
    await stores.broadcasts.create(aBroadcast({ id, topics: [topic], department: topic, createdAt }));
    if (status) {
      await stores.messages.recordOnce(aMessageRecord({ messageId: broadcastMessageId(id, alice), broadcastId: id, to: alice, status, createdAt }));
    }
  }

  it('files the text for the department of the last broadcast actually sent to the resident, linked to it', async () => {
    // Prepare
    const { text, stores } = await setUp({ subscribed: ['traffic', 'youth'] });
    await broadcastTo(stores, 'bc-traffic-0700', 'traffic', '2025-03-01T07:00:00.000Z', 'delivered');
    await broadcastTo(stores, 'bc-youth-0800', 'youth', '2025-03-01T08:00:00.000Z', 'sent');
    await broadcastTo(stores, 'bc-traffic-0830', 'traffic', '2025-03-01T08:30:00.000Z', 'skipped');
    await broadcastTo(stores, 'bc-traffic-0845', 'traffic', '2025-03-01T08:45:00.000Z', 'failed');
    await broadcastTo(stores, 'bc-youth-0850', 'youth', '2025-03-01T08:50:00.000Z', undefined);

    // Act
    const { outcome, inbound, replies } = await text('Is the youth club open on Saturday?');

    // Assess
    expect(outcome).toMatchObject({ intent: 'unrecognised' });
    expect(replies).toEqual([rendered(['inboxAcknowledgement', 'en'])]);
    expect(stores.inbox.entries).toEqual([
      {
        id: inboxEntryId('sandbox', inbound.providerMessageId),
        department: 'youth',
        provider: 'sandbox',
        providerMessageId: inbound.providerMessageId,
        from: alice,
        channel: 'sms',
        body: 'Is the youth club open on Saturday?',
        receivedAt: AT,
        broadcastId: 'bc-youth-0800',
        topicId: 'youth',
        // The number the resident wrote to: staff's replies go from it.
        to: inbound.to,
        handled: false,
      },
    ]);
  });

  it.each<[string, string[], { department: string; topicId: string | undefined }]>([
    ['a resident with topics but no broadcast received: the first topic’s department', ['traffic'], { department: 'traffic', topicId: 'traffic' }],
    ['a resident with no topics: the general inbox', [], { department: 'general', topicId: undefined }],
  ])('files the text of %s', async (_case, subscribed, where) => {
    // Prepare
    const { text, stores } = await setUp({ subscribed });
    await broadcastTo(stores, 'bc-traffic-0700', 'traffic', '2025-03-01T07:00:00.000Z', undefined);

    // Act
    await text('Who do I talk to about a pothole?');

    // Assess
    expect(stores.inbox.entries).toEqual([expect.objectContaining({ ...where, broadcastId: undefined })]);
  });

  it.each<[string, number | undefined, boolean]>([
    ['the first free text of the day is acknowledged', undefined, true],
    ['a second the same day is filed without a reply', 14 * HOUR, false],
    ['the first of the next day is acknowledged again', 15 * HOUR, true],
  ])('%s', async (_case, hoursAfterAnEarlierText, acknowledged) => {
    // Prepare
    const { text, stores, clock } = await setUp();
    if (hoursAfterAnEarlierText !== undefined) {
      await text('The lights on Queen St are out');
      clock.advance(hoursAfterAnEarlierText);
    }

    // Act
    const { replies } = await text('And on Park Place');

    // Assess
    expect(replies).toEqual(acknowledged ? [rendered(['inboxAcknowledgement', 'en'])] : []);
    expect(stores.inbox.entries.at(-1)?.body).toBe('And on Park Place');
    expect(stores.inbox.entries).toHaveLength(hoursAfterAnEarlierText === undefined ? 1 : 2);
  });
  it.each([
    ['the UK (the default): in summer a new day starts at 23:00 UTC, so the second text is acknowledged too', 'Europe/London', [rendered(['inboxAcknowledgement', 'en'])]],
    ['New York: both texts are on 1 July there (18:30 and 19:30), so the second is not acknowledged', 'America/New_York', []],
  ] as const)('counts days by the deployment\'s calendar (TIME_ZONE), %s', async (_case, timeZone, expected) => {
    // Prepare: 22:30 UTC on 1 July is 23:30 in the UK; an hour later it is 2 July there, not in UTC
    const { text, clock } = await setUp({ timeZone });
    clock.advance(Date.parse('2025-07-01T22:30:00.000Z') - clock.now().getTime());
    await text('The lights on Queen St are out');
    clock.advance(HOUR);

    // Act
    const { replies } = await text('And on Park Place');

    // Assess
    expect(replies).toEqual(expected);
  });
});

describe('topic aliases', () => {
  it.each<[string, string, Language | undefined, ExpectedReply]>([
    ['YMUNO and the Welsh keyword: Welsh, with the Welsh name', 'YMUNO TRAFFIG', undefined, ['subscribed', 'cy', { topicName: 'Rhybuddion traffig' }]],
    ['the Welsh keyword alone: Welsh, with the Welsh name', 'TRAFFIG', undefined, ['subscribed', 'cy', { topicName: 'Rhybuddion traffig' }]],
    ['JOIN and the Welsh keyword: English, as the command word says', 'JOIN TRAFFIG', undefined, ['subscribed', 'en', { topicName: 'Traffic alerts' }]],
    ['the Welsh keyword from a resident who chose Spanish: Spanish', 'TRAFFIG', 'es', ['subscribed', 'es', { topicName: 'Traffic alerts' }]],
    ['YMUNO and the English keyword: Welsh, with the Welsh name', 'YMUNO TRAFFIC', undefined, ['subscribed', 'cy', { topicName: 'Rhybuddion traffig' }]],
  ])('%s', async (_case, body, profileLanguage, reply) => {
    // Prepare
    const { text, topicsOf, stores } = await setUp();
    if (profileLanguage) await stores.subscribers.updateProfile(alice, 'sms', { language: profileLanguage }, AT, inboundEvidence({ text: 'LANG' }));

    // Act
    const { outcome, replies } = await text(body);

    // Assess
    expect(outcome).toMatchObject({ intent: 'subscribe' });
    expect(replies).toEqual([rendered(reply)]);
    expect(await topicsOf()).toEqual(['traffic']);
  });
});

describe('the language a resident’s words tell is kept', () => {
  /**
   * Each row: what alice texts first, then a HELP (which tells no language), the language the
   * HELP is answered in, and the language her profile keeps with how it came to be kept.
   */
  it.each<[string, string[], Language, { language: Language; languageSource: 'chosen' | 'inferred' } | undefined]>([
    ['YMUNO and a Welsh keyword: Welsh, inferred', ['YMUNO TRAFFIG'], 'cy', { language: 'cy', languageSource: 'inferred' }],
    ['the Welsh keyword alone: Welsh, inferred', ['TRAFFIG'], 'cy', { language: 'cy', languageSource: 'inferred' }],
    ['a Spanish help word: Spanish, inferred', ['AYUDA'], 'es', { language: 'es', languageSource: 'inferred' }],
    ['an English JOIN from a new resident: English, and nothing kept', ['JOIN TRAFFIC'], 'en', undefined],
    ['Welsh, then an alias in Spanish: the latest words win', ['YMUNO TRAFFIG', 'AYUDA'], 'es', { language: 'es', languageSource: 'inferred' }],
    ['Welsh, then an English JOIN: the latest words win', ['YMUNO TRAFFIG', 'JOIN YOUTH'], 'en', { language: 'en', languageSource: 'inferred' }],
    ['a chosen language, then a Welsh alias: the choice stays', ['LANG ES', 'YMUNO TRAFFIG'], 'es', { language: 'es', languageSource: 'chosen' }],
    ['a chosen language, then a Welsh keyword alone: the choice stays', ['IDIOMA ESPANOL', 'TRAFFIG'], 'es', { language: 'es', languageSource: 'chosen' }],
    ['an inferred language, then LANG: the choice replaces it', ['YMUNO TRAFFIG', 'LANG EN'], 'en', { language: 'en', languageSource: 'chosen' }],
    ['free text with a Spanish SÍ and nothing to confirm: nothing kept', ['SI'], 'en', undefined],
    ['a Welsh STOP: nothing kept about a resident who leaves', ['STOPIO'], 'en', undefined],
  ])('%s', async (_case, first, answeredIn, kept) => {
    // Prepare
    const { text, stores } = await setUp();
    for (const body of first) await text(body);

    // Act
    const { replies } = await text('HELP');

    // Assess
    expect(replies).toEqual([rendered(['help', answeredIn, { keywords: answeredIn === 'cy' ? welshKeywords : keywords }])]);
    const profile = await stores.subscribers.getProfile(alice);
    if (kept) expect(profile).toMatchObject(kept);
    else expect(profile?.language).toBeUndefined();
  });

  it('records the inferred language in the consent ledger, with the text that told it, once', async () => {
    // Prepare
    const { text, stores, clock } = await setUp();
    const at = clock.now().toISOString();

    // Act
    const { inbound } = await text('YMUNO TRAFFIG');
    await text('CYMORTH');
    await text('HELP');

    // Assess: CYMORTH tells the Welsh already kept, so it records nothing new
    const profileChanges = (await stores.subscribers.consentHistory(alice)).filter((event) => event.action === 'profile');
    expect(profileChanges).toEqual([
      {
        at,
        action: 'profile',
        channel: 'sms',
        topicId: undefined,
        evidence: { kind: 'inbound', provider: inbound.provider, providerMessageId: inbound.providerMessageId, text: 'YMUNO TRAFFIG' },
        changes: { language: 'cy', languageSource: 'inferred' },
      },
    ]);
  });

  it('never lets an inferred language replace one chosen between the read and the write', async () => {
    // Prepare: LANG ES lands after alice's YMUNO was read with no language, before it is kept
    const { stores } = await setUp();
    await stores.subscribers.updateProfile(alice, 'sms', { language: 'es', languageSource: 'chosen' }, AT, inboundEvidence({ text: 'LANG ES' }));

    // Act
    const took = await stores.subscribers.keepInferredLanguage(alice, 'sms', 'cy', AT, inboundEvidence({ text: 'YMUNO TRAFFIG' }));

    // Assess
    expect(took).toBe(false);
    expect(await stores.subscribers.getProfile(alice)).toMatchObject({ language: 'es', languageSource: 'chosen' });
  });
});
