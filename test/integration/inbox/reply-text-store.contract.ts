import { describe, expect, it } from 'vitest';
import type { ReplyTextStore } from '../../../shared/inbox/reply-text-store.js';

/*
 * The reply text store's contract: one set of cases, run against the DynamoDB store on dynalite
 * (reply-text-store-dynamo.test.ts) and the in-memory one the use cases' tests rely on
 * (test/unit/inbox/reply-text-store-memory.test.ts), so the fake cannot drift from the store
 * that runs.
 */

/** Two handles on one empty store, as two functions have: what one writes, the other reads. */
export type ReplyTextStoresFactory = () => Promise<[ReplyTextStore, ReplyTextStore]>;

export function replyTextStoreContract(name: string, makeStores: ReplyTextStoresFactory): void {
  describe(`${name}: the reply text store's contract`, () => {
    it('sets, overrides and removes an operator’s text, per language', async () => {
      // Prepare
      const [store] = await makeStores();

      // Act
      await store.setOverride('en', 'help', 'First text');
      await store.setOverride('cy', 'help', 'Testun cyntaf');
      await store.setOverride('en', 'subscribed', 'You joined {{topicName}}');
      const afterSets = await store.overrides();
      await store.setOverride('en', 'help', 'Second text');
      const afterOverride = await store.overrides();
      await store.setOverride('en', 'help', undefined);
      const afterRemove = await store.overrides();

      // Assess
      expect(afterSets).toEqual({ en: { help: 'First text', subscribed: 'You joined {{topicName}}' }, cy: { help: 'Testun cyntaf' } });
      expect(afterOverride).toEqual({ en: { help: 'Second text', subscribed: 'You joined {{topicName}}' }, cy: { help: 'Testun cyntaf' } });
      expect(afterRemove).toEqual({ en: { subscribed: 'You joined {{topicName}}' }, cy: { help: 'Testun cyntaf' } });
    });

    it('has no overrides before an operator writes one', async () => {
      // Prepare
      const [store] = await makeStores();

      // Act
      const overrides = await store.overrides();

      // Assess
      expect(overrides).toEqual({});
    });

    it('removes a text before any was ever written without failing', async () => {
      // Prepare
      const [store] = await makeStores();

      // Act
      await store.setOverride('es', 'help', undefined);

      // Assess
      expect(await store.overrides()).toEqual({});
    });

    it('shows an edit made through another instance (another function) to the very next read, and no language once its last text is removed', async () => {
      // Prepare
      const [reader, writer] = await makeStores();
      const before = await reader.overrides();

      // Act
      await writer.setOverride('en', 'help', 'Written elsewhere');
      const afterSet = await reader.overrides();
      await writer.setOverride('en', 'help', undefined);
      const afterRemove = await reader.overrides();

      // Assess
      expect(before).toEqual({});
      expect(afterSet).toEqual({ en: { help: 'Written elsewhere' } });
      expect(afterRemove).toEqual({});
    });
  });
}
