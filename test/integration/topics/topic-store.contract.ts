import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../shared/domain/errors.js';
import type { Topic } from '../../../shared/domain/model.js';
import { shardOf } from '../../../shared/domain/sharding.js';
import type { SubscriberStore } from '../../../shared/consent/subscriber-store.js';
import type { TopicPageQuery, TopicStore } from '../../../shared/topics/topic-store.js';
import { AT, aPhone, aTopic, adminEvidence, inboundEvidence } from '../../support/builders.js';

/*
 * The topic store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (topic-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/topics/topic-store-memory.test.ts), so the fake cannot drift from the store that
 * runs: keywords unique across topics, changes and archiving, pages, and the subscriber counts
 * (which the subscriber store beside it moves). How the DynamoDB store survives a change that
 * crashed half-way is in topic-changes.test.ts.
 */

export const SHARDS = 4;
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const importEvidence = { kind: 'import' as const, batchId: 'imp-1', actor: 'key-1', collectedBy: 'Youth club', collectedAt: AT, method: 'paper form' };

/** Seven topics: roads owns a, c, f; youth b, d, e, g; d is archived. */
const seeded = [
  { id: 'topic-a', department: 'roads' },
  { id: 'topic-b', department: 'youth' },
  { id: 'topic-c', department: 'roads' },
  { id: 'topic-d', department: 'youth', archivedAt: '2025-03-01T09:00:00.000Z' },
  { id: 'topic-e', department: 'youth' },
  { id: 'topic-f', department: 'roads' },
  { id: 'topic-g', department: 'youth' },
];

/** Builds a topic store and the subscriber store whose subscriptions it counts, with SHARDS shards, empty. */
export type TopicStoresFactory = () => Promise<{ topics: TopicStore; subscribers: SubscriberStore }>;

export function topicStoreContract(name: string, makeStores: TopicStoresFactory): void {
  describe(`${name}: the topic store's contract, creating and counting`, () => {
    let topics: TopicStore;
    let subscribers: SubscriberStore;

    beforeAll(async () => {
      ({ topics, subscribers } = await makeStores());
    });

    it('creates a topic, finds it by id and by each of its keywords', async () => {
      // Prepare
      const topic = aTopic({ id: 'bins', name: 'Bin collections', keywords: ['BINS', 'RECYCLING'], department: 'waste' });

      // Act
      await topics.create(structuredClone(topic));

      // Assess
      expect(await topics.get('bins')).toEqual(topic);
      expect(await topics.findByKeyword('BINS')).toEqual(topic);
      expect(await topics.findByKeyword('RECYCLING')).toEqual(topic);
      expect(await topics.findByKeyword('LITTER')).toBeUndefined();
    });

    it('refuses a keyword another topic owns, naming that topic, and leaves nothing of the new topic behind', async () => {
      // Prepare
      await topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
      const clashing = aTopic({ id: 'roads', name: 'Roads', keywords: ['ROADS', 'JAMS', 'TRAFFIC', 'A470'] });

      // Act
      const error = await topics.create(structuredClone(clashing)).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe('keyword TRAFFIC is already used by topic "traffic"');
      expect(await topics.get('roads')).toBeUndefined();
      expect(await topics.findByKeyword('ROADS')).toBeUndefined();
      expect((await topics.findByKeyword('TRAFFIC'))?.id).toBe('traffic');
    });

    it('lets another topic take the keywords a refused topic had claimed', async () => {
      // Prepare
      await topics.create(aTopic({ id: 'parking', keywords: ['PARKING'] }));
      await expect(topics.create(aTopic({ id: 'cars', keywords: ['CARS', 'PARKING'] }))).rejects.toThrow(ConflictError);

      // Act
      await topics.create(aTopic({ id: 'vehicles', keywords: ['CARS'] }));

      // Assess
      expect((await topics.findByKeyword('CARS'))?.id).toBe('vehicles');
    });

    it('refuses a second topic with the same id and keeps the first as it was', async () => {
      // Prepare
      const first = aTopic({ id: 'libraries', name: 'Libraries', keywords: ['BOOKS'] });
      await topics.create(first);

      // Act
      const attempt = topics.create(aTopic({ id: 'libraries', name: 'Other', keywords: ['LIBRARY'] }));

      // Assess
      await expect(attempt).rejects.toThrow(new ConflictError('topic "libraries" already exists'));
      expect(await topics.get('libraries')).toEqual(first);
      expect(await topics.findByKeyword('LIBRARY')).toBeUndefined();
    });

    it('lists every topic', async () => {
      // Prepare
      const { topics: store } = await makeStores();
      const created = ['alpha', 'beta', 'gamma'].map((id) => aTopic({ id, name: id, keywords: [id.toUpperCase()] }));
      for (const topic of created) await store.create(topic);

      // Act
      const listed = await store.list();

      // Assess
      expect(listed).toEqual(created);
    });

    it('counts subscribers across every shard of a topic', async () => {
      // Prepare
      await topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
      const phones = Array.from({ length: 12 }, (_, index) => aPhone(200 + index));
      for (const phone of phones) await subscribers.subscribe(phone, 'sms', 'youth', '2025-03-01T09:00:00.000Z', inboundEvidence());
      await subscribers.subscribe(phones[0]!, 'whatsapp', 'youth', '2025-03-01T09:00:00.000Z', inboundEvidence());
      await subscribers.optOut(phones[1]!, 'sms', '2025-03-01T10:00:00.000Z', inboundEvidence({ text: 'STOP' }));

      // Act
      const count = await topics.subscriberCount('youth');

      // Assess
      expect(new Set(phones.map((phone) => shardOf(phone, SHARDS))).size).toBeGreaterThan(1);
      expect(count).toBe(12);
      expect(await topics.subscriberCount('nobody-here')).toBe(0);
    });
  });

  describe(`${name}: the topic store's contract, changes and archiving`, () => {
    let topics: TopicStore;

    beforeAll(async () => {
      ({ topics } = await makeStores());
    });

    const change = (changes: Partial<Topic>) => (current: Topic) => ({ ...current, ...changes, updatedAt: later(1) });

    it('swaps keywords: the new ones lead to the topic, the dropped one is free for another topic', async () => {
      // Prepare
      await topics.create(aTopic({ id: 'bins', keywords: ['BINS', 'RUBBISH'], aliases: { cy: { keywords: ['BINIAU'] } } }));

      // Act
      const result = await topics.update('bins', change({ name: 'Waste collections', keywords: ['BINS', 'WASTE'] }));
      const reused = await topics.create(aTopic({ id: 'litter', keywords: ['RUBBISH'] })).then(() => 'created');

      // Assess
      expect(result?.before.keywords).toEqual(['BINS', 'RUBBISH']);
      expect(result?.after).toMatchObject({ name: 'Waste collections', keywords: ['BINS', 'WASTE'], updatedAt: later(1) });
      expect(await topics.get('bins')).toEqual(result?.after);
      expect((await topics.findByKeyword('WASTE'))?.id).toBe('bins');
      expect((await topics.findByKeyword('BINS'))?.id).toBe('bins');
      expect((await topics.findByKeyword('BINIAU'))?.id).toBe('bins');
      expect(reused).toBe('created');
      expect((await topics.findByKeyword('RUBBISH'))?.id).toBe('litter');
    });

    it.each([
      ['a keyword', { keywords: ['PARKS', 'NEWPARK', 'LIBRARY'] }],
      ['an alias keyword', { aliases: { cy: { keywords: ['NEWPARK', 'LLYFRGELL'] } } }],
    ])('refuses %s another topic holds, naming it, and changes nothing', async (_case, changes) => {
      // Prepare
      const suffix = Math.random().toString(36).slice(2, 6);
      const rename = (topic: Partial<Topic>) => JSON.parse(JSON.stringify(topic).replaceAll(/"(PARKS|NEWPARK|LIBRARY|LLYFRGELL)"/g, `"$1${suffix.toUpperCase()}"`));
      await topics.create(aTopic({ id: `library-${suffix}`, keywords: [`LIBRARY${suffix.toUpperCase()}`], aliases: { cy: { keywords: [`LLYFRGELL${suffix.toUpperCase()}`] } } }));
      const parks = aTopic({ id: `parks-${suffix}`, keywords: [`PARKS${suffix.toUpperCase()}`] });
      await topics.create(parks);

      // Act
      const error = await topics.update(parks.id, change(rename(changes))).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(new RegExp(`^keyword (LIBRARY|LLYFRGELL)${suffix.toUpperCase()} is already used by topic "library-${suffix}"$`));
      expect(await topics.get(parks.id)).toEqual(parks);
      expect(await topics.findByKeyword(`NEWPARK${suffix.toUpperCase()}`)).toBeUndefined();
      expect((await topics.findByKeyword(`PARKS${suffix.toUpperCase()}`))?.id).toBe(parks.id);
    });

    it('archives a topic: its keywords are released, it leaves the list unless asked for, and it is kept', async () => {
      // Prepare
      await topics.create(aTopic({ id: 'events', keywords: ['EVENTS'], aliases: { es: { keywords: ['EVENTOS'] } } }));

      // Act
      const result = await topics.update('events', change({ archivedAt: later(1) }));
      await topics.create(aTopic({ id: 'festivals', keywords: ['EVENTS'] }));

      // Assess
      expect(result?.after.archivedAt).toBe(later(1));
      expect(await topics.findByKeyword('EVENTOS')).toBeUndefined();
      expect((await topics.findByKeyword('EVENTS'))?.id).toBe('festivals');
      expect((await topics.list()).map((topic) => topic.id)).not.toContain('events');
      expect((await topics.list({ includeArchived: true })).find((topic) => topic.id === 'events')).toMatchObject({
        keywords: ['EVENTS'],
        archivedAt: later(1),
      });
    });

    it('gives undefined for a topic that does not exist, writing nothing', async () => {
      // Prepare / Act
      const result = await topics.update('nowhere', change({ keywords: ['NOWHERE'] }));

      // Assess
      expect(result).toBeUndefined();
      expect(await topics.findByKeyword('NOWHERE')).toBeUndefined();
    });

    it('writes nothing when the change refuses', async () => {
      // Prepare
      const topic = aTopic({ id: 'council-tax', keywords: ['TAX'] });
      await topics.create(topic);

      // Act
      const refused = topics.update('council-tax', () => {
        throw new ConflictError('no');
      });

      // Assess
      await expect(refused).rejects.toThrow('no');
      expect(await topics.get('council-tax')).toEqual(topic);
    });
  });

  describe(`${name}: the topic store's contract, pages`, () => {
    let topics: TopicStore;

    beforeAll(async () => {
      ({ topics } = await makeStores());
      for (const { id, department, archivedAt } of seeded) {
        await topics.create(aTopic({ id, department, keywords: [id.toUpperCase().replace('-', '')] }));
        if (archivedAt) await topics.update(id, (current) => ({ ...current, archivedAt }));
      }
    });

    /** Every page's ids, following cursors from the first page. */
    async function allPages(query: Omit<TopicPageQuery, 'cursor'>): Promise<{ pages: string[][]; cursors: (string | undefined)[] }> {
      const pages: string[][] = [];
      const cursors: (string | undefined)[] = [];
      let cursor: string | undefined;
      do {
        const page = await topics.page({ ...query, cursor });
        pages.push(page.items.map((topic) => topic.id));
        cursors.push(page.cursor);
        cursor = page.cursor;
      } while (cursor && pages.length < 10);
      return { pages, cursors };
    }

    it.each([
      { case: 'active topics of every department', query: { limit: 2, includeArchived: false }, pages: [['topic-a', 'topic-b'], ['topic-c', 'topic-e'], ['topic-f', 'topic-g']] },
      { case: 'archived ones too', query: { limit: 4, includeArchived: true }, pages: [['topic-a', 'topic-b', 'topic-c', 'topic-d'], ['topic-e', 'topic-f', 'topic-g']] },
      { case: "one department's", query: { limit: 2, includeArchived: false, department: 'youth' }, pages: [['topic-b', 'topic-e'], ['topic-g']] },
      { case: 'a department with pages that end exactly', query: { limit: 3, includeArchived: false, department: 'roads' }, pages: [['topic-a', 'topic-c', 'topic-f']] },
      { case: 'everything at once', query: { limit: 200, includeArchived: true }, pages: [seeded.map((topic) => topic.id)] },
    ])('gives full pages of $case in id order, and a cursor only when more follow', async ({ query, pages }) => {
      // Prepare
      const expectedCursors = pages.map((_page, index) => (index < pages.length - 1 ? expect.any(String) : undefined));

      // Act
      const result = await allPages(query);

      // Assess
      expect(result.pages).toEqual(pages);
      expect(result.cursors).toEqual(expectedCursors);
    });

    it('refuses a cursor it did not give', async () => {
      // Prepare
      const cursor = Buffer.from('APIKEY#abc').toString('base64url');

      // Act
      const act = topics.page({ limit: 2, includeArchived: false, cursor });

      // Assess
      await expect(act).rejects.toThrow(ValidationError);
    });
  });

  describe(`${name}: the topic store's contract, counts by channel and language`, () => {
    it('counts by channel and language, exact through JOIN, LANG, an inferred language, STOP, START, import and its undo, and erasure', async () => {
      // Prepare
      const { subscribers, topics } = await makeStores();
      const [a, b, c, d] = [aPhone(701), aPhone(702), aPhone(703), aPhone(704)];

      // Act
      await subscribers.subscribe(a, 'sms', 'youth', AT, inboundEvidence());
      await subscribers.subscribe(a, 'whatsapp', 'youth', AT, inboundEvidence());
      await subscribers.updateProfile(a, 'sms', { language: 'cy' }, AT, adminEvidence());
      await subscribers.subscribe(b, 'sms', 'youth', AT, inboundEvidence());
      await subscribers.keepInferredLanguage(b, 'sms', 'es', AT, inboundEvidence({ providerMessageId: 'SMes' }));
      await subscribers.optOut(b, 'sms', AT, inboundEvidence({ providerMessageId: 'SMstop' }));
      await subscribers.restore(b, 'sms', AT, inboundEvidence({ providerMessageId: 'SMstart' }));
      await subscribers.importSubscription({ phone: c, channel: 'sms', topicId: 'youth', profile: { language: 'en' } }, AT, importEvidence);
      await subscribers.importSubscription({ phone: d, channel: 'whatsapp', topicId: 'youth', profile: {} }, AT, importEvidence);
      await subscribers.undoImport({ phone: d, channel: 'whatsapp', topicId: 'youth', profile: {} }, 'imp-1');
      await subscribers.beginErasure(a, AT, 'key-1');
      await subscribers.erase(a, AT, 'key-1');

      // Assess: left are b (sms, Spanish inferred) and c (sms, English imported)
      expect(await topics.subscriberCounts('youth')).toEqual({ total: 2, byChannel: { sms: 2, whatsapp: 0 }, byLanguage: { en: 1, cy: 0, es: 1, none: 0 } });
    });

    it('moves every subscription of a resident with their language', async () => {
      // Prepare
      const { subscribers, topics } = await makeStores();
      const phone = aPhone(710);
      await subscribers.subscribe(phone, 'sms', 'youth', AT, inboundEvidence());
      await subscribers.subscribe(phone, 'sms', 'bins', AT, inboundEvidence({ providerMessageId: 'SMbins' }));

      // Act
      await subscribers.updateProfile(phone, 'sms', { language: 'cy' }, AT, adminEvidence());
      await subscribers.updateProfile(phone, 'sms', { language: 'en' }, AT, adminEvidence({ reason: 'asked again' }));

      // Assess
      for (const topic of ['youth', 'bins']) {
        expect((await topics.subscriberCounts(topic)).byLanguage).toEqual({ en: 1, cy: 0, es: 0, none: 0 });
      }
    });
  });
}
