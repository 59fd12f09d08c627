import { defaultPriceTable } from '../../shared/domain/sms-preview.js';
import { describe, expect, it } from 'vitest';
import type { FanOutTask, SendJob } from '../../shared/domain/jobs.js';
import type { Language } from '../../shared/domain/language.js';
import { messageContentSchema, type MessageContent } from '../../shared/domain/message-content.js';
import type { Broadcast, Channel, Priority } from '../../shared/domain/model.js';
import type { AgeBand } from '../../shared/domain/profile.js';
import { stopInstructions } from '../../shared/domain/replies.js';
import type { TargetingFilters } from '../../shared/domain/targeting.js';
import { WHATSAPP_WINDOW_MS } from '../../shared/domain/whatsapp-window.js';
import type { FanOutDependencies } from '../../shared/ports/dependencies.js';
import { fanOutShards } from '../../shared/broadcasts/fan-out.js';
import { HeldForQuietHoursError, broadcastMessageId, sendBroadcastBatch, type SendDependencies } from '../../shared/sending/send.js';
import { aBroadcast, aPhone, aTopic, broadcastSettings, inboundEvidence } from '../support/builders.js';
import { FixedClock, RecordingQueue, ScriptedProvider, SequentialIds, directoryOf, inMemoryStores, type InMemoryStores } from '../support/in-memory-stores.js';
import { sendingForTests } from '../support/in-memory-pacing.js';

/**
 * Targeting at fan-out (segment filters read from each resident's profile) and content at send
 * (language variant, placeholders, WhatsApp window and template, STOP footer, quiet hours).
 * One shard, so one fan-out task reads a whole topic.
 */

const BROADCAST_ID = 'bc-0001';
/** A Saturday, 10:00 in London (GMT): outside quiet hours. */
const NOW = '2025-03-01T10:00:00.000Z';
const JOINED = '2025-02-01T10:00:00.000Z';

interface Resident {
  area?: string;
  ageBand?: AgeBand;
  language?: Language;
  topics?: string[];
  channel?: Channel;
  /** When they last wrote on WhatsApp. */
  wroteOnWhatsApp?: string;
}

async function addResident(stores: InMemoryStores, phone: string, resident: Resident): Promise<void> {
  for (const topicId of resident.topics ?? ['traffic']) {
    await stores.subscribers.subscribe(phone, resident.channel ?? 'sms', topicId, JOINED, inboundEvidence());
  }
  const { area, ageBand, language } = resident;
  await stores.subscribers.updateProfile(phone, resident.channel ?? 'sms', { area, ageBand, language }, JOINED, inboundEvidence());
  if (resident.wroteOnWhatsApp) await stores.subscribers.recordWhatsAppWindow(phone, resident.wroteOnWhatsApp);
}

describe('targeting at fan-out', () => {
  async function setUp(filters: TargetingFilters | undefined, topics = ['traffic']) {
    const stores = inMemoryStores(1);
    await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, topics, filters, fanOutPending: topics.length }));
    const sendQueues = { urgent: new RecordingQueue<SendJob>(), normal: new RecordingQueue<SendJob>() };
    const fanOutTasks = new RecordingQueue<FanOutTask>();
    const deps: FanOutDependencies = { stores, clock: new FixedClock(NOW), ids: new SequentialIds(), sendQueues, fanOutTasks, recipientsPerJob: 50 };
    return { deps, stores, sendQueues };
  }

  async function fanOut(deps: FanOutDependencies, topics = ['traffic']): Promise<void> {
    for (const topicId of topics) await fanOutShards(deps, { broadcastId: BROADCAST_ID, topicId, shard: 0 } satisfies FanOutTask);
  }

  const phonesSent = (queue: RecordingQueue<SendJob>) =>
    queue.sent.flatMap((job) => (job.kind === 'broadcast' ? job.recipients.map((recipient) => recipient.phone) : [])).sort();

  it.each<[string, string[], string, boolean]>([
    ['a district matches itself', ['CF10'], 'CF10', true],
    ['a district does not match its neighbour', ['CF10'], 'CF11', false],
    ['a district is not a string prefix of a longer one', ['CF1'], 'CF10', false],
    ['a district matches its lettered sub-district', ['W1'], 'W1D', true],
    ['an area matches each of its districts', ['CF'], 'CF24', true],
    ['a one-letter area does not match another area that starts with it', ['S'], 'SA1', false],
    ['a one-letter area matches its districts', ['S'], 'S10', true],
    ['any of several filters may match', ['NP', 'CF10'], 'NP20', true],
  ])('area filter: %s (%j, resident in %s → %s)', async (_rule, areas, residentArea, included) => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ areas });
    await addResident(stores, aPhone(1), { area: residentArea });

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual(included ? [aPhone(1)] : []);
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts.targeted).toBe(included ? 1 : 0);
  });

  it('sends an area-filtered broadcast only to residents in the area, and never to one whose area is unknown', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ areas: ['CF10'] });
    await addResident(stores, aPhone(1), { area: 'CF10' });
    await addResident(stores, aPhone(2), { area: 'CF14' });
    await addResident(stores, aPhone(3), {});

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual([aPhone(1)]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ status: 'sending', fanOutPending: 0, counts: { targeted: 1 } });
  });

  it('keeps only the age bands asked for; an unknown age band is not a match', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ ageBands: ['13-15', '16-17'] });
    await addResident(stores, aPhone(1), { ageBand: '13-15' });
    await addResident(stores, aPhone(2), { ageBand: '16-17' });
    await addResident(stores, aPhone(3), { ageBand: '18-24' });
    await addResident(stores, aPhone(4), {});

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual([aPhone(1), aPhone(2)]);
  });

  it.each<[string, Language[], string[]]>([
    ['Welsh only: Welsh speakers', ['cy'], ['cy']],
    ['English: English speakers and those who never chose (they read the default)', ['en'], ['en', 'unset']],
    ['English or Spanish', ['en', 'es'], ['en', 'es', 'unset']],
  ])('language filter, %s', async (_case, languages, expected) => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ languages });
    const byLanguage: Record<string, string> = { cy: aPhone(1), en: aPhone(2), es: aPhone(3), unset: aPhone(4) };
    await addResident(stores, byLanguage.cy!, { language: 'cy' });
    await addResident(stores, byLanguage.en!, { language: 'en' });
    await addResident(stores, byLanguage.es!, { language: 'es' });
    await addResident(stores, byLanguage.unset!, {});

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual(expected.map((language) => byLanguage[language]).sort());
  });

  it('needs every filter to hold at once', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp({ areas: ['CF'], ageBands: ['16-17'], languages: ['cy'] });
    await addResident(stores, aPhone(1), { area: 'CF10', ageBand: '16-17', language: 'cy' });
    await addResident(stores, aPhone(2), { area: 'CF10', ageBand: '16-17', language: 'en' });
    await addResident(stores, aPhone(3), { area: 'NP20', ageBand: '16-17', language: 'cy' });
    await addResident(stores, aPhone(4), { area: 'CF10', ageBand: '25+', language: 'cy' });

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual([aPhone(1)]);
  });

  it('sends a filtered broadcast over two topics once to a resident of both', async () => {
    // Prepare
    const topics = ['traffic', 'roadworks'];
    const { deps, stores, sendQueues } = await setUp({ areas: ['CF10'] }, topics);
    await addResident(stores, aPhone(1), { area: 'CF10', topics });
    await addResident(stores, aPhone(2), { area: 'CF10', topics: ['roadworks'] });
    await addResident(stores, aPhone(3), { area: 'NP20', topics });

    // Act
    await fanOut(deps, topics);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual([aPhone(1), aPhone(2)]);
    expect(await stores.broadcasts.get(BROADCAST_ID)).toMatchObject({ fanOutPending: 0, counts: { targeted: 2 } });
  });

  it('reaches everyone subscribed when there are no filters, profile or not', async () => {
    // Prepare
    const { deps, stores, sendQueues } = await setUp(undefined);
    await addResident(stores, aPhone(1), { area: 'CF10' });
    await addResident(stores, aPhone(2), {});

    // Act
    await fanOut(deps);

    // Assess
    expect(phonesSent(sendQueues.urgent)).toEqual([aPhone(1), aPhone(2)]);
  });
});

describe('content at send', () => {
  const alice = aPhone(101);

  function aContentBroadcast(content: Partial<MessageContent> & { body: string }, overrides: Partial<Broadcast> = {}): Broadcast {
    const parsed = messageContentSchema.parse(content);
    return aBroadcast({ id: BROADCAST_ID, priority: 'urgent', fanOutPending: 1, ...parsed, ...overrides });
  }

  async function setUp(broadcast: Broadcast, resident: Resident, { at = NOW, quietHours = '21:00-08:00' } = {}) {
    const stores = inMemoryStores(1);
    await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', aliases: { cy: { name: 'Rhybuddion traffig', keywords: [] } } }));
    await stores.broadcasts.create(broadcast);
    await addResident(stores, alice, resident);
    const provider = new ScriptedProvider();
    const deps: SendDependencies = {
      stores,
      clock: new FixedClock(at),
      ids: new SequentialIds(),
      providers: directoryOf(provider),
      prices: defaultPriceTable,
      statusCallbackBaseUrl: 'https://crier.example.gov.uk/webhooks/twilio/status',
      window: broadcastSettings({ quietHours }).window,
      ...sendingForTests(new FixedClock()),
    };
    return { deps, stores, provider };
  }

  const jobFor = (channel: Channel = 'sms') => ({ kind: 'broadcast' as const, broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel }] });

  it.each<[string, Language | undefined, string]>([
    ['a Welsh speaker gets the Welsh variant, with the Welsh STOP footer', 'cy', `Mae’r A470 ar gau.\n${stopInstructions.cy}`],
    ['an English speaker gets the body', 'en', `The A470 is closed.\n${stopInstructions.en}`],
    ['a resident who never chose gets the body', undefined, `The A470 is closed.\n${stopInstructions.en}`],
    // No Spanish variant: the English body, and the footer in the language of the text sent.
    ['a Spanish speaker with no Spanish variant gets the body', 'es', `The A470 is closed.\n${stopInstructions.en}`],
  ])('%s', async (_case, language, body) => {
    // Prepare
    const broadcast = aContentBroadcast({ body: 'The A470 is closed.', variants: { cy: 'Mae’r A470 ar gau.' } });
    const { deps, provider } = await setUp(broadcast, { language });

    // Act
    await sendBroadcastBatch(deps, jobFor());

    // Assess
    expect(provider.attempts).toEqual([expect.objectContaining({ to: alice, body, template: undefined })]);
  });

  it('gives a Spanish speaker the Spanish variant with the Spanish footer', async () => {
    // Prepare
    const broadcast = aContentBroadcast({ body: 'The A470 is closed.', variants: { es: 'La A470 está cerrada.' } });
    const { deps, provider } = await setUp(broadcast, { language: 'es' });

    // Act
    await sendBroadcastBatch(deps, jobFor());

    // Assess
    expect(provider.attempts.map((attempt) => attempt.body)).toEqual([`La A470 está cerrada.\n${stopInstructions.es}`]);
  });

  it.each<[string, string, Resident, string]>([
    ['{{area}} is filled from the profile', 'Roadworks in {{area}} tonight.', { area: 'CF10' }, 'Roadworks in CF10 tonight.'],
    ['the fallback is used when the area is unknown', 'Roadworks in {{ area | your area }} tonight.', {}, 'Roadworks in your area tonight.'],
    ['the fallback is not used when the area is known', 'Roadworks in {{area|your area}} tonight.', { area: 'NP20' }, 'Roadworks in NP20 tonight.'],
    ['{{age_band}} is filled', 'Sessions for ages {{age_band}}.', { ageBand: '16-17' }, 'Sessions for ages 16-17.'],
    ['{{topic}} names the topic', '{{topic}}: A470 closed.', {}, 'Traffic alerts: A470 closed.'],
    // The text chosen is English (no Welsh variant), so the topic is named as English readers know it.
    ['{{topic}} follows the language of the text, not the resident’s', '{{topic}}: A470 closed.', { language: 'cy' }, 'Traffic alerts: A470 closed.'],
  ])('placeholders: %s', async (_case, body, resident, text) => {
    // Prepare
    const { deps, provider } = await setUp(aContentBroadcast({ body }), resident);

    // Act
    await sendBroadcastBatch(deps, jobFor());

    // Assess
    expect(provider.attempts.map((attempt) => attempt.body)).toEqual([`${text}\n${stopInstructions.en}`]);
  });

  it('names the topic in Welsh in the Welsh variant', async () => {
    // Prepare
    const broadcast = aContentBroadcast({ body: '{{topic}}: A470 closed.', variants: { cy: '{{topic}}: A470 ar gau.' } });
    const { deps, provider } = await setUp(broadcast, { language: 'cy' });

    // Act
    await sendBroadcastBatch(deps, jobFor());

    // Assess
    expect(provider.attempts.map((attempt) => attempt.body)).toEqual([`Rhybuddion traffig: A470 ar gau.\n${stopInstructions.cy}`]);
  });

  it('skips a resident whose copy needs a value they never gave (no fallback): recorded as missing_data and counted', async () => {
    // Prepare
    const { deps, stores, provider } = await setUp(aContentBroadcast({ body: 'Roadworks in {{area}} tonight.' }), {});

    // Act
    await sendBroadcastBatch(deps, jobFor());

    // Assess
    expect(provider.attempts).toEqual([]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'skipped', skipReason: 'missing_data' });
    expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 0, skipped: 1 });
  });

  it('skips an SMS resident as missing_data when only a WhatsApp template parameter needs the missing value (either channel must be sendable)', async () => {
    // Prepare
    const broadcast = aContentBroadcast({ body: 'Roadworks tonight.', whatsappTemplate: { name: 'roadworks_notice', parameters: ['{{area}}'] } });
    const { deps, stores, provider } = await setUp(broadcast, {});

    // Act
    await sendBroadcastBatch(deps, jobFor('sms'));

    // Assess
    expect(provider.attempts).toEqual([]);
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ skipReason: 'missing_data' });
  });

  describe('the WhatsApp 24-hour window', () => {
    const template = { name: 'roadworks_notice', parameters: ['{{area|your area}}', '{{topic}}'] };

    it.each<[string, string | undefined, boolean]>([
      ['wrote a minute ago', new Date(Date.parse(NOW) - 60_000).toISOString(), true],
      ['wrote 24 hours less a millisecond ago', new Date(Date.parse(NOW) - WHATSAPP_WINDOW_MS + 1).toISOString(), true],
      ['wrote exactly 24 hours ago', new Date(Date.parse(NOW) - WHATSAPP_WINDOW_MS).toISOString(), false],
      ['never wrote on WhatsApp', undefined, false],
    ])('a resident who %s (%s) is sent free text: %s', async (_case, wroteOnWhatsApp, open) => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Roadworks in {{area|your area}}.', whatsappTemplate: template });
      const { deps, provider } = await setUp(broadcast, { channel: 'whatsapp', area: 'CF10', wroteOnWhatsApp });

      // Act
      await sendBroadcastBatch(deps, jobFor('whatsapp'));

      // Assess
      expect(provider.attempts).toHaveLength(1);
      expect(provider.attempts[0]?.body).toBe(`Roadworks in CF10.\n${stopInstructions.en}`);
      expect(provider.attempts[0]?.template).toEqual(open ? undefined : { name: 'roadworks_notice', language: 'en_GB', parameters: ['CF10', 'Traffic alerts'] });
    });

    it.each<[string, Language | undefined, Partial<MessageContent>, string, string[]]>([
      ['an English speaker gets en_GB', 'en', {}, 'en_GB', ['your area', 'Traffic alerts']],
      ['a Welsh speaker with a Welsh variant gets cy, parameters in Welsh', 'cy', { variants: { cy: 'Gwaith ffordd.' } }, 'cy', ['your area', 'Rhybuddion traffig']],
      ['a Welsh speaker without a Welsh variant gets the default language', 'cy', {}, 'en_GB', ['your area', 'Traffic alerts']],
    ])('outside the window, the provider receives the template: %s', async (_case, language, content, templateLanguage, parameters) => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Roadworks.', whatsappTemplate: template, ...content });
      const { deps, stores, provider } = await setUp(broadcast, { channel: 'whatsapp', language });

      // Act
      await sendBroadcastBatch(deps, jobFor('whatsapp'));

      // Assess
      expect(provider.attempts).toEqual([
        expect.objectContaining({ to: alice, channel: 'whatsapp', template: { name: 'roadworks_notice', language: templateLanguage, parameters } }),
      ]);
      expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'sent' });
    });

    it('asks for the template language the content names, whatever the resident’s', async () => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Roadworks.', whatsappTemplate: { name: 'HX0123456789abcdef0123456789abcdef', language: 'en_US', parameters: [] } });
      const { deps, provider } = await setUp(broadcast, { channel: 'whatsapp', language: 'cy' });

      // Act
      await sendBroadcastBatch(deps, jobFor('whatsapp'));

      // Assess
      expect(provider.attempts[0]?.template).toEqual({ name: 'HX0123456789abcdef0123456789abcdef', language: 'en_US', parameters: [] });
    });

    it('skips a resident outside the window when the broadcast has no template: whatsapp_window_closed, counted', async () => {
      // Prepare
      const { deps, stores, provider } = await setUp(aContentBroadcast({ body: 'Roadworks.' }), { channel: 'whatsapp' });

      // Act
      await sendBroadcastBatch(deps, jobFor('whatsapp'));

      // Assess
      expect(provider.attempts).toEqual([]);
      expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'skipped', skipReason: 'whatsapp_window_closed' });
      expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 0, skipped: 1 });
    });

    it('sends an SMS resident free text whatever their WhatsApp window', async () => {
      // Prepare
      const { deps, provider } = await setUp(aContentBroadcast({ body: 'Roadworks.' }), { channel: 'sms' });

      // Act
      await sendBroadcastBatch(deps, jobFor('sms'));

      // Assess
      expect(provider.attempts).toEqual([expect.objectContaining({ channel: 'sms', body: `Roadworks.\n${stopInstructions.en}`, template: undefined })]);
    });
  });

  describe('quiet hours in the sender', () => {
    it('holds a normal broadcast’s batch in quiet hours until they end, claiming and counting nothing', async () => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Bin day moves to Friday.' }, { priority: 'normal' as Priority });
      const { deps, stores, provider } = await setUp(broadcast, {}, { at: '2025-03-01T22:30:00.000Z' });

      // Act
      const error = await sendBroadcastBatch(deps, jobFor()).then(
        () => expect.fail('expected the batch to be held'),
        (caught: unknown) => caught,
      );

      // Assess
      expect(error).toBeInstanceOf(HeldForQuietHoursError);
      expect((error as HeldForQuietHoursError).until.toISOString()).toBe('2025-03-02T08:00:00.000Z');
      expect(provider.attempts).toEqual([]);
      expect(stores.messages.messages.size).toBe(0);
      expect((await stores.broadcasts.get(BROADCAST_ID))?.counts).toMatchObject({ sent: 0, failed: 0, skipped: 0 });
    });

    it('sends an urgent broadcast’s batch in quiet hours', async () => {
      // Prepare
      const { deps, provider } = await setUp(aContentBroadcast({ body: 'A470 closed.' }), {}, { at: '2025-03-01T22:30:00.000Z' });

      // Act
      await sendBroadcastBatch(deps, jobFor());

      // Assess
      expect(provider.sentTo).toEqual([alice]);
    });

    it('sends a normal broadcast’s batch when quiet hours are off', async () => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Bin day moves to Friday.' }, { priority: 'normal' });
      const { deps, provider } = await setUp(broadcast, {}, { at: '2025-03-01T22:30:00.000Z', quietHours: 'off' });

      // Act
      await sendBroadcastBatch(deps, jobFor());

      // Assess
      expect(provider.sentTo).toEqual([alice]);
    });

    it('skips the batch of a cancelled normal broadcast in quiet hours rather than hold it', async () => {
      // Prepare
      const broadcast = aContentBroadcast({ body: 'Bin day moves to Friday.' }, { priority: 'normal', status: 'cancelled' });
      const { deps, stores, provider } = await setUp(broadcast, {}, { at: '2025-03-01T22:30:00.000Z' });

      // Act
      await sendBroadcastBatch(deps, jobFor());

      // Assess
      expect(provider.attempts).toEqual([]);
      expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, alice))).toMatchObject({ status: 'skipped', skipReason: 'cancelled' });
    });
  });
});
