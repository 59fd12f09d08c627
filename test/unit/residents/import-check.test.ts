import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { checkImport, importBatchId } from '../../../shared/residents/import-subscribers/check-import.js';
import { importSubscribers } from '../../../shared/residents/import-subscribers/import-subscribers.js';
import { aPhone, aPrincipal, aTopic, inboundEvidence } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const NOW = '2025-03-01T09:00:00.000Z';
const youthSender = aPrincipal({ keyId: 'key-youth', name: 'Youth team', role: 'sender', department: 'youth' });
const consent = { consent_collected_by: 'Grangetown youth club', consent_collected_at: '2025-02-20T00:00:00.000Z', consent_method: 'paper form' };

async function setUp() {
  const stores = inMemoryStores();
  const deps = { stores, clock: new FixedClock(NOW), ids: new SequentialIds('audit') };
  await stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
  return { stores, deps };
}

describe('checkImport', () => {
  it.each([
    ['an unknown topic', 'phone,topic\n07700900101,bins\n', 'topic'],
    ['the same number, topic and channel twice', 'phone,topic\n07700900101,youth\n07700 900101,youth\n', 'duplicate'],
    ['a resident who opted out', 'phone,topic\n07700900120,youth\n', 'stopped'],
  ])('names %s as a problem of its kind, and writes nothing', async (_case, file, kind) => {
    // Prepare
    const { stores, deps } = await setUp();
    await stores.subscribers.subscribe(aPhone(120), 'sms', 'youth', NOW, inboundEvidence());
    await stores.subscribers.optOut(aPhone(120), 'sms', NOW, inboundEvidence());

    // Act
    const check = await checkImport(deps, youthSender, { csv: file, defaultCountry: 'GB', consentGivenApart: true });

    // Assess
    expect(check.issues.map((issue) => issue.kind)).toEqual([kind]);
    expect(await stores.importBatches.recent(10)).toEqual([]);
    expect(await stores.subscribers.getProfile(aPhone(101))).toBeUndefined();
  });

  it('takes a file without consent columns when the evidence is given apart, and counts the rows that need it', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const check = await checkImport(deps, youthSender, { csv: 'phone,topic\n07700900101,youth\n07700900102,youth\n', defaultCountry: 'GB', consentGivenApart: true });

    // Assess
    expect(check.issues).toEqual([]);
    expect(check.rowsWithoutConsent).toBe(2);
    expect(check.plan?.apply.map(({ line }) => line)).toEqual([2, 3]);
  });

  it('refuses the same file over the API, where each row gives its own evidence', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const check = await checkImport(deps, youthSender, { csv: 'phone,topic\n07700900101,youth\n', defaultCountry: 'GB' });

    // Assess
    expect(check.issues.map(({ field, kind }) => [field, kind])).toEqual([
      ['line 1: consent_collected_by', 'file'],
      ['line 1: consent_collected_at', 'file'],
      ['line 1: consent_method', 'file'],
    ]);
  });
});

describe('importSubscribers with evidence given apart', () => {
  it('fills the empty consent cells from it, keeps a row’s own, and keeps the batch with who, when and the evidence', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    const file = 'phone,topic,consent_collected_by,consent_collected_at,consent_method\n07700900101,youth,,,\n07700900102,youth,Ms Evans,2025-02-01,web form\n';

    // Act
    const summary = await importSubscribers(deps, youthSender, { csv: file, defaultCountry: 'GB', consentGivenApart: true, consent });

    // Assess
    expect(summary.batchId).toBe(importBatchId('key-youth', file, consent));
    expect((await stores.subscribers.consentHistory(aPhone(101)))[0]?.evidence).toEqual(expect.objectContaining({ collectedBy: 'Grangetown youth club', method: 'paper form' }));
    expect((await stores.subscribers.consentHistory(aPhone(102)))[0]?.evidence).toEqual(expect.objectContaining({ collectedBy: 'Ms Evans', method: 'web form' }));
    expect(await stores.importBatches.get(summary.batchId)).toEqual({
      id: summary.batchId,
      at: NOW,
      actor: 'key-youth',
      department: 'youth',
      consent: { collectedBy: 'Grangetown youth club', collectedAt: '2025-02-20T00:00:00.000Z', method: 'paper form' },
      rowsWithGivenConsent: 1,
      outcome: 'imported',
      rows: 2,
      imported: 2,
      alreadySubscribed: 0,
      topics: [{ topicId: 'youth', imported: 2, alreadySubscribed: 0 }],
      refused: { rows: 0, byKind: {}, examples: [] },
    });
  });

  it('refuses rows without evidence when none is given, and imports nothing', async () => {
    // Prepare
    const { stores, deps } = await setUp();

    // Act
    const error = await importSubscribers(deps, youthSender, { csv: 'phone,topic\n07700900101,youth\n', defaultCountry: 'GB', consentGivenApart: true }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ field: 'consent', message: '1 row gives no consent evidence of their own' }]);
    expect(await stores.subscribers.getProfile(aPhone(101))).toBeUndefined();
  });

  it('keeps a refused batch by line and kind of problem, never the words that quote a number, and then its import', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    const bad = 'phone,topic\n0770,youth\n07700900102,youth\n07700900102,youth\n';
    const fixed = 'phone,topic\n07700900101,youth\n07700900102,youth\n';

    // Act
    await importSubscribers(deps, youthSender, { csv: bad, defaultCountry: 'GB', consentGivenApart: true, consent }).catch(() => undefined);
    const refused = await stores.importBatches.get(importBatchId('key-youth', bad, consent));
    await importSubscribers(deps, youthSender, { csv: fixed, defaultCountry: 'GB', consentGivenApart: true, consent });

    // Assess
    expect(refused).toEqual(
      expect.objectContaining({
        outcome: 'refused',
        imported: 0,
        refused: { rows: 2, byKind: { phone: 1, duplicate: 1 }, examples: [{ line: 2, field: 'phone', kind: 'phone' }, { line: 4, field: 'phone', kind: 'duplicate' }] },
      }),
    );
    expect(JSON.stringify(refused)).not.toContain('0770');
    expect((await stores.importBatches.recent(10)).map((batch) => batch.outcome)).toEqual(['imported', 'refused']);
  });
});
