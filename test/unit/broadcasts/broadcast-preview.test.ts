import { describe, expect, it } from 'vitest';
import type { FanOutTask } from '../../../shared/domain/jobs.js';
import type { Language } from '../../../shared/domain/language.js';
import type { Channel } from '../../../shared/domain/model.js';
import type { AgeBand } from '../../../shared/domain/profile.js';
import { smsStopNumberSource } from '../../../shared/adapters/providers/sender-identities.js';
import { providerEnvSchema, sendersEnvSchema, sendRatesEnvSchema } from '../../../shared/config/env.js';
import { parseEnvironment } from '../../../shared/runtime/environment.js';
import { EXACT_AUDIENCE_LIMIT } from '../../../shared/broadcasts/broadcast-audience.js';
import { previewBroadcast, previewRequest } from '../../../shared/broadcasts/broadcast-preview.js';
import { createBroadcast } from '../../../shared/broadcasts/broadcasts.js';
import type { BroadcastDependencies } from '../../../shared/ports/dependencies.js';
import { aPhone, aPrincipal, aTopic, broadcastSettings, inboundEvidence } from '../../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores, type InMemoryStores } from '../../support/in-memory-stores.js';

/** A Tuesday, 10:00 in London (GMT): outside quiet hours. */
const NOW = '2025-03-04T10:00:00.000Z';
const sender = aPrincipal({ keyId: 'key-sender', role: 'sender', department: 'traffic' });

interface Resident {
  topics?: string[];
  channel?: Channel;
  language?: Language;
  area?: string;
  ageBand?: AgeBand;
  wroteOnWhatsApp?: string;
}

async function setUp(residents: Resident[], settings: Parameters<typeof broadcastSettings>[0] = {}) {
  const stores: InMemoryStores = inMemoryStores(2);
  await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'roadworks', name: 'Roadworks', keywords: ['ROADWORKS'], department: 'traffic' }));
  for (const [index, resident] of residents.entries()) {
    const phone = aPhone(index + 1);
    for (const topicId of resident.topics ?? ['traffic']) {
      await stores.subscribers.subscribe(phone, resident.channel ?? 'sms', topicId, NOW, inboundEvidence());
    }
    const { language, area, ageBand } = resident;
    await stores.subscribers.updateProfile(phone, resident.channel ?? 'sms', { language, area, ageBand }, NOW, inboundEvidence());
    if (resident.wroteOnWhatsApp) await stores.subscribers.recordWhatsAppWindow(phone, resident.wroteOnWhatsApp);
  }
  const deps: BroadcastDependencies = {
    stores,
    clock: new FixedClock(NOW),
    ids: new SequentialIds('bc'),
    fanOutTasks: new RecordingQueue<FanOutTask>(),
    topicShards: 2,
    ...broadcastSettings(settings),
  };
  return { deps, stores };
}

describe('previewRequest: audience', () => {
  it('counts each resident once across topics, by channel and by the language of the text they would get', async () => {
    // Prepare
    const { deps } = await setUp([
      { topics: ['traffic', 'roadworks'] },
      { topics: ['roadworks'], language: 'cy' },
      { language: 'es' },
      { channel: 'whatsapp', wroteOnWhatsApp: NOW },
    ]);

    // Act
    const preview = await previewRequest(deps, sender, {
      topics: ['traffic', 'roadworks'],
      body: 'The A470 is closed.',
      variants: { cy: "Mae'r A470 ar gau." },
      priority: 'urgent',
    });

    // Assess
    expect(preview.audience).toEqual({
      total: 4,
      byChannel: { sms: 3, whatsapp: 1 },
      // The Spanish speaker has no variant: they get the default text.
      byLanguage: { en: 3, cy: 1 },
      missingData: 0,
      whatsappOutsideWindow: 0,
    });
    expect(preview.messages.map((message) => message.language).sort()).toEqual(['cy', 'en']);
  });

  it('applies the segment filters as the fan-out does, and counts residents a placeholder would skip', async () => {
    // Prepare
    const { deps } = await setUp([{ area: 'CF10', ageBand: '16-17' }, { area: 'CF10' }, { area: 'NP20', ageBand: '16-17' }, {}]);

    // Act
    const filtered = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Youth club tonight.', priority: 'normal', filters: { areas: ['CF'] } });
    const placeholder = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Roadworks for {{age_band}} drivers.', priority: 'normal' });

    // Assess
    expect(filtered.audience.total).toBe(2);
    expect(placeholder.audience).toMatchObject({ total: 2, missingData: 2 });
    expect(placeholder.warnings).toContainEqual(expect.objectContaining({ code: 'missing_data' }));
  });

  it('counts WhatsApp residents outside their window, and warns when there is no template for them', async () => {
    // Prepare
    const { deps } = await setUp([{ channel: 'whatsapp', wroteOnWhatsApp: '2025-03-01T10:00:00.000Z' }, { channel: 'whatsapp', wroteOnWhatsApp: NOW }]);

    // Act
    const withoutTemplate = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Road closed.', priority: 'urgent' });
    const withTemplate = await previewRequest(deps, sender, {
      topics: ['traffic'],
      body: 'Road closed.',
      priority: 'urgent',
      whatsappTemplate: { name: 'road_closure', parameters: [] },
    });

    // Assess
    expect(withoutTemplate.audience).toMatchObject({ total: 1, whatsappOutsideWindow: 1 });
    expect(withoutTemplate.warnings).toContainEqual(expect.objectContaining({ code: 'whatsapp_window_closed' }));
    expect(withTemplate.audience).toMatchObject({ total: 2, whatsappOutsideWindow: 1 });
    expect(withTemplate.cost).toEqual({ currency: 'GBP', sms: 0, whatsapp: 0.04, total: 0.04 });
  });
});

describe('previewRequest: encoding, segments and cost', () => {
  it('names the curly apostrophe that forces UCS-2 and warns that it raises the bill', async () => {
    // Prepare
    const { deps } = await setUp([{}, {}]);
    const body = `The A470 northbound is closed at Coryton after a collision; it won’t reopen before 6pm. Please use the A4054 through Taffs Well and allow extra time.`;

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['traffic'], body, priority: 'urgent' });

    // Assess
    const english = preview.messages.find((message) => message.language === 'en');
    expect(english?.sms).toMatchObject({ encoding: 'UCS-2', unicodeCharacters: ['’'] });
    expect(english!.sms.segments).toBeGreaterThan(english!.sms.segmentsWithoutUnicode!);
    expect(preview.warnings.map((warning) => warning.code)).toContain('unicode_raises_cost');
    // Two residents, each sent every segment of their own message, at £0.04 a segment.
    expect(preview.smsSegments).toBe(2 * english!.sms.segments);
    expect(preview.cost.sms).toBeCloseTo(preview.smsSegments * 0.04, 5);
  });

  it('counts each resident their own segments when placeholders make texts differ in length', async () => {
    // Prepare
    const { deps } = await setUp([{ area: 'CF10' }, {}]);
    const body = `${'x'.repeat(120)} {{area|everywhere in the county of South Glamorgan}}`;

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['traffic'], body, priority: 'urgent' });

    // Assess: with the STOP footer, the CF10 text fits one segment and the long fallback needs two.
    expect(preview.audience.total).toBe(2);
    expect(preview.smsSegments).toBe(1 + 2);
  });
});

describe('previewRequest: timing and limits', () => {
  it('says a normal broadcast made in quiet hours would start at 08:00, and warns of the daily cap and operator approval', async () => {
    // Prepare
    const { deps } = await setUp([{}, {}, {}], { dailyMessageCap: 2, operatorApprovalAbove: 2 });
    deps.clock = new FixedClock('2025-03-04T22:00:00.000Z');

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Gritting tonight.', priority: 'normal' });

    // Assess
    expect(preview.startsAt).toBe('2025-03-05T08:00:00.000Z');
    expect(preview.limits).toEqual([
      { department: 'traffic', dailyMessageCap: 2, usedOnStartDay: 0, wouldExceed: true, needsOperatorApproval: true },
    ]);
    expect(preview.warnings.map((warning) => warning.code)).toEqual(expect.arrayContaining(['over_daily_cap', 'operator_approval']));
  });

  it('refuses topics that do not exist, naming each by its place in the request, and another department\'s topics', async () => {
    // Prepare
    const { deps, stores } = await setUp([]);
    await stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));

    // Act
    const missing = previewRequest(deps, sender, { topics: ['traffic', 'nope'], body: 'x', priority: 'urgent' });
    const foreign = previewRequest(deps, sender, { topics: ['youth'], body: 'x', priority: 'urgent' });

    // Assess
    await expect(missing).rejects.toMatchObject({ details: [{ field: 'topics.1', message: 'no topic "nope"' }] });
    await expect(foreign).rejects.toThrow(/department "traffic", not "youth"/);
  });
});

describe('previewBroadcast', () => {
  it('previews a draft already made, without submitting it', async () => {
    // Prepare
    const { deps, stores } = await setUp([{}, { language: 'cy' }]);
    const draft = await createBroadcast(deps, sender, { topics: ['traffic'], body: 'Road closed.', variants: { cy: 'Ffordd ar gau.' }, priority: 'urgent', draft: true });

    // Act
    const preview = await previewBroadcast(deps, sender, draft.id);

    // Assess
    expect(preview.audience).toMatchObject({ total: 2, byLanguage: { en: 1, cy: 1 } });
    expect(preview.messages.find((message) => message.language === 'cy')?.text).toContain('Ffordd ar gau.');
    expect((await stores.broadcasts.get(draft.id))?.status).toBe('draft');
  });
});

describe('previewRequest: a very large audience', () => {
  it('reads a sample spread over every shard and scales the counts, saying it is an estimate', async () => {
    // Prepare: 40 residents, but the topic claims EXACT_AUDIENCE_LIMIT × 4 subscriptions.
    const { deps, stores } = await setUp(Array.from({ length: 40 }, () => ({})));
    stores.topics.subscriberCount = async () => EXACT_AUDIENCE_LIMIT * 4;
    let pageLimits: number[] = [];
    const realPage = stores.topicIndex.page.bind(stores.topicIndex);
    stores.topicIndex.page = async (topicId, shard, cursor, limit) => {
      pageLimits = [...pageLimits, limit];
      return realPage(topicId, shard, cursor, limit);
    };

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Road closed.', priority: 'urgent' });

    // Assess: every one of the 40 sampled stands for 1,000.
    expect(preview.exact).toBe(false);
    expect(preview.sampledResidents).toBe(40);
    expect(preview.audience.total).toBe(EXACT_AUDIENCE_LIMIT * 4);
    expect(preview.audience.byChannel.sms).toBe(EXACT_AUDIENCE_LIMIT * 4);
    expect(pageLimits.every((limit) => limit <= EXACT_AUDIENCE_LIMIT / 2)).toBe(true);
  });

  it('counts every resident of a small audience exactly', async () => {
    // Prepare
    const { deps } = await setUp([{}, {}]);

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['traffic'], body: 'Road closed.', priority: 'urgent' });

    // Assess
    expect(preview.exact).toBe(true);
    expect(preview.sampledResidents).toBeUndefined();
  });
});

describe('previewRequest: the STOP footer residents will read', () => {
  /** The broadcasts API's own source of the STOP number, over sandbox identities as SENDERS lists them. */
  function stopNumbers(senders: unknown[]) {
    const settings = parseEnvironment(providerEnvSchema, { SMS_PROVIDER: 'sandbox', WHATSAPP_PROVIDER: 'sandbox' });
    const { SENDERS, SEND_RATES } = parseEnvironment(sendersEnvSchema.extend(sendRatesEnvSchema.shape), { SENDERS: JSON.stringify(senders) });
    return smsStopNumberSource(async () => settings, { SENDERS, SEND_RATES });
  }
  const main = { id: 'main', provider: 'sandbox', channel: 'sms', from: '+447700900123' };
  const body = 'The A470 is closed at Storey Arms.';

  it.each([
    ["the department's own sender ID: text STOP to the two-way number", [main, { id: 'roads', provider: 'sandbox', channel: 'sms', from: 'ROADS', departments: ['traffic'] }], `${body}\nText STOP to 07700 900123 to stop.`],
    ['another department’s sender ID: the usual footer, from the default number', [main, { id: 'youth', provider: 'sandbox', channel: 'sms', from: 'YOUTH', departments: ['youth'] }], `${body}\nReply STOP to stop.`],
  ])('%s', async (_case, senders, expected) => {
    // Prepare
    const { deps } = await setUp([{}, { channel: 'whatsapp', wroteOnWhatsApp: NOW }]);

    // Act
    const preview = await previewRequest({ ...deps, smsStopNumber: stopNumbers(senders) }, sender, { topics: ['traffic'], body, priority: 'urgent' });

    // Assess
    expect(preview.messages).toEqual([expect.objectContaining({ language: 'en', text: expected, whatsappText: `${body}\nReply STOP to stop.` })]);
    expect(preview.smsSegments).toBe(1);
    expect(preview.warnings).toEqual([]);
  });

  it('shows the usual footer with a warning naming the problem when the identities do not add up', async () => {
    // Prepare: every sandbox SMS identity belongs to a department, so none is the default
    const { deps } = await setUp([{}]);
    const senders = [{ id: 'roads', provider: 'sandbox', channel: 'sms', from: '+447700900123', departments: ['traffic'] }];

    // Act
    const preview = await previewRequest({ ...deps, smsStopNumber: stopNumbers(senders) }, sender, { topics: ['traffic'], body, priority: 'urgent' });

    // Assess
    expect(preview.messages[0]?.text).toBe(`${body}\nReply STOP to stop.`);
    expect(preview.warnings).toEqual([
      {
        code: 'sender_identities',
        message: expect.stringMatching(/^The STOP footer shown is the usual one: sender identities: SENDERS: every sandbox:sms identity names departments/),
      },
    ]);
  });
});

describe('previewRequest: approval', () => {
  it.each([
    { case: 'topics without the two-person rule', requiresApproval: false, operatorApprovalAbove: 0, approval: 'none' },
    { case: 'a topic with the two-person rule', requiresApproval: true, operatorApprovalAbove: 0, approval: 'department' },
    { case: 'an audience above the department threshold', requiresApproval: true, operatorApprovalAbove: 1, approval: 'operator' },
  ])('says whose approval it would wait for: $case → $approval', async ({ requiresApproval, operatorApprovalAbove, approval }) => {
    // Prepare
    const { deps, stores } = await setUp([{}, {}], { operatorApprovalAbove });
    await stores.topics.create(aTopic({ id: 'closures', name: 'Closures', keywords: ['CLOSURES'], department: 'traffic', requiresApproval }));
    await stores.subscribers.subscribe(aPhone(1), 'sms', 'closures', NOW, inboundEvidence());
    await stores.subscribers.subscribe(aPhone(2), 'sms', 'closures', NOW, inboundEvidence());

    // Act
    const preview = await previewRequest(deps, sender, { topics: ['closures'], body: 'The A470 is closed.', priority: 'normal' });

    // Assess
    expect(preview.approval).toBe(approval);
  });
});
