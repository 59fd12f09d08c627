import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoTopicStore } from '../../shared/adapters/dynamo/topic-store.js';
import { ValidationError } from '../../shared/domain/errors.js';
import type { TopicPageQuery } from '../../shared/topics/topic-store.js';
import { aTopic } from '../support/builders.js';
import { freshTable } from '../support/dynamo-table.js';

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

describe('DynamoTopicStore pages', () => {
  let topics: DynamoTopicStore;

  beforeAll(async () => {
    const table = await freshTable('crier-topic-pages');
    topics = new DynamoTopicStore(table.documents, table.tableName, 2);
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
