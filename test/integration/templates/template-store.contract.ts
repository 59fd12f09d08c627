import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors.js';
import { editedTemplate, historyOf, newTemplate, type MessageTemplate } from '../../../shared/templates/template.js';
import type { TemplateStore } from '../../../shared/templates/template-store.js';

/*
 * The template store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (template-store-dynamo.test.ts, which also holds what a write stopped part-way leaves) and the
 * in-memory one the use cases' tests rely on (test/unit/templates/template-store-memory.test.ts),
 * so the fake cannot drift from the store that runs: ids unique, a department's templates, each
 * edit a new version made on the one before it, every version kept.
 */

export const by = { at: '2026-12-01T09:00:00.000Z', by: 'key-ana', byName: 'Ana Jones' };

export const aTemplate = (overrides: Partial<MessageTemplate> = {}): MessageTemplate => ({
  ...newTemplate(
    { name: 'Road closed', folder: 'Roads', body: 'The ((road)) is closed tonight.', variants: { cy: 'Mae ((road)) ar gau heno.' }, whatsappTemplate: { name: 'road_closed', parameters: ['((road))'] } },
    { id: 'tpl-0001', department: 'traffic', ...by },
  ),
  ...overrides,
});

/** Builds an empty store: each case has one of its own. */
export type TemplateStoreFactory = () => Promise<TemplateStore>;

export function templateStoreContract(name: string, makeStore: TemplateStoreFactory): void {
  describe(`${name}: the template store's contract`, () => {
    let store: TemplateStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    it('reads back a created template as it was written, with its first version', async () => {
      // Prepare
      const template = aTemplate();

      // Act
      await store.create(template);

      // Assess
      expect(await store.get(template.id)).toEqual(template);
      expect(await store.versions(template.id)).toEqual([historyOf(template, [])[0]]);
      expect(await store.version(template.id, 1)).toMatchObject({ version: 1, body: template.body, updatedByName: 'Ana Jones' });
    });

    it('refuses a second template with the same id and keeps the first', async () => {
      // Prepare
      await store.create(aTemplate());

      // Act
      const second = store.create(aTemplate({ name: 'Another' }));

      // Assess
      await expect(second).rejects.toThrow(ConflictError);
      expect((await store.get('tpl-0001'))?.name).toBe('Road closed');
    });

    it("lists a department's templates only", async () => {
      // Prepare
      await store.create(aTemplate());
      await store.create(aTemplate({ id: 'tpl-0002', name: 'Bins late' }));
      await store.create(aTemplate({ id: 'tpl-0003', department: 'youth', name: 'Youth club' }));

      // Act
      const traffic = await store.listByDepartment('traffic');

      // Assess
      expect(traffic.map((template) => template.name).sort()).toEqual(['Bins late', 'Road closed']);
      expect(await store.listByDepartment('comms')).toEqual([]);
    });

    it('replaces the template with its next version and keeps every version, newest first', async () => {
      // Prepare
      const first = aTemplate();
      await store.create(first);
      const second = editedTemplate(first, { name: 'Road closed', folder: 'Roads', body: 'The ((road)) is shut tonight.' }, { at: '2026-12-02T10:00:00.000Z', by: 'key-bo', byName: 'Bo Evans' });

      // Act
      const replaced = await store.replace(second);

      // Assess
      expect(replaced).toBe(true);
      expect(await store.get(first.id)).toEqual(second);
      const versions = await store.versions(first.id);
      expect(versions.map((version) => [version.version, version.updatedByName, version.changed])).toEqual([
        [2, 'Bo Evans', ['body', 'variants.cy', 'whatsappTemplate']],
        [1, 'Ana Jones', ['name', 'folder', 'body', 'variants.cy', 'whatsappTemplate']],
      ]);
      expect((await store.version(first.id, 1))?.body).toBe('The ((road)) is closed tonight.');
    });

    it('refuses the second of two edits made on the same version, so neither is lost unseen', async () => {
      // Prepare
      const first = aTemplate();
      await store.create(first);
      const ana = editedTemplate(first, { name: 'Road closed (Ana)', body: first.body }, { ...by, at: '2026-12-02T10:00:00.000Z' });
      const bo = editedTemplate(first, { name: 'Road closed (Bo)', body: first.body }, { at: '2026-12-02T10:00:01.000Z', by: 'key-bo', byName: 'Bo Evans' });

      // Act
      const [anaWrote, boWrote] = [await store.replace(ana), await store.replace(bo)];

      // Assess
      expect([anaWrote, boWrote]).toEqual([true, false]);
      expect((await store.get(first.id))?.name).toBe('Road closed (Ana)');
      expect((await store.versions(first.id)).map((version) => version.version)).toEqual([2, 1]);
    });

    it('refuses to replace a template that does not exist', async () => {
      // Act
      const replaced = await store.replace({ ...aTemplate(), version: 2 });

      // Assess
      expect(replaced).toBe(false);
      expect(await store.get('tpl-0001')).toBeUndefined();
    });

    it('answers nothing for a template or version never kept', async () => {
      // Act
      const template = await store.get('tpl-none');
      const version = await store.version('tpl-none', 1);
      const versions = await store.versions('tpl-none');

      // Assess
      expect(template).toBeUndefined();
      expect(version).toBeUndefined();
      expect(versions).toEqual([]);
    });
  });
}
