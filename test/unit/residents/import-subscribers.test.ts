import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../shared/domain/errors.js';
import { roleSchema } from '../../../shared/domain/model.js';
import { readImportCsv } from '../../../shared/residents/import-subscribers/csv-rows.js';
import { MAX_IMPORT_ROWS } from '../../../shared/domain/subscriber-import.js';
import { importBatchId, importSubscribers } from '../../../shared/residents/import-subscribers/import-subscribers.js';
import { inPool } from '../../../shared/residents/import-subscribers/pool.js';
import { aPhone, aPrincipal, aTopic, inboundEvidence } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const NOW = '2025-03-01T09:00:00.000Z';
const HEADER = 'phone,topic,channel,language,area,age_band,consent_collected_by,consent_collected_at,consent_method';
const operator = aPrincipal({ keyId: 'key-operator', name: 'IT', role: 'operator', department: 'it' });
const youthSender = aPrincipal({ keyId: 'key-youth', name: 'Youth team', role: 'sender', department: 'youth' });

/** A row in the header's order; every field can be overridden by name. */
function row(fields: Partial<Record<string, string>> = {}): string {
  const values = {
    phone: '07700 900101',
    topic: 'youth',
    channel: 'sms',
    language: 'cy',
    area: 'CF10 1EP',
    age_band: '16-17',
    consent_collected_by: 'Grangetown youth club',
    consent_collected_at: '2025-02-20',
    consent_method: 'paper form',
    ...fields,
  };
  return HEADER.split(',')
    .map((column) => values[column as keyof typeof values] ?? '')
    .join(',');
}
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

async function setUp() {
  const stores = inMemoryStores();
  const deps = { stores, clock: new FixedClock(NOW), ids: new SequentialIds('audit') };
  await stores.topics.create(aTopic({ id: 'youth', keywords: ['YOUTH'], department: 'youth' }));
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  await stores.topics.create(aTopic({ id: 'old-news', keywords: ['OLDNEWS'], department: 'youth', archivedAt: NOW }));
  return { stores, deps };
}

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('readImportCsv', () => {
  const read = (text: string, maxRows = 100) => readImportCsv(text, { defaultCountry: 'GB', now: new Date(NOW), maxRows });

  it('reads rows in any column order, normalising numbers, channels, areas and header names', () => {
    // Prepare
    const text = '\uFEFFTopic,Phone,Consent collected by,consent_collected_at,Consent-Method,Area,Channel\r\nyouth,07700 900101,Ms Evans,2025-02-20,paper form,cf101ep,WhatsApp\r\n';

    // Act
    const { rows, issues } = read(text);

    // Assess
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        row: {
          phone: '+447700900101',
          topic: 'youth',
          channel: 'whatsapp',
          area: 'CF10',
          consent_collected_by: 'Ms Evans',
          consent_collected_at: '2025-02-20T00:00:00.000Z',
          consent_method: 'paper form',
        },
      },
    ]);
  });

  it('defaults the channel to sms', () => {
    // Act
    const { rows } = read(csv(row({ channel: '' })));

    // Assess
    expect(rows[0]?.row.channel).toBe('sms');
  });

  it.each([
    ['an invalid number', { phone: '12345' }, 'line 2: phone', '"12345" is not a valid phone number', 'phone'],
    ['no number', { phone: '' }, 'line 2: phone', 'the phone number is required', 'missing'],
    ['no topic', { topic: '' }, 'line 2: topic', 'the topic is required', 'missing'],
    ['a topic that is not an id', { topic: 'youth club!' }, 'line 2: topic', 'must be 1–40 lowercase letters', 'topic'],
    ['an unknown channel', { channel: 'fax' }, 'line 2: channel', 'must be sms or whatsapp', 'value'],
    ['an unknown language', { language: 'fr' }, 'line 2: language', 'en', 'value'],
    ['an area that is no postcode', { area: 'Cardiff' }, 'line 2: area', '"Cardiff" is not a UK postcode district or postcode', 'value'],
    ['an age instead of a band', { age_band: '15' }, 'line 2: age_band', 'must be one of 13-15, 16-17, 18-24, 25+', 'value'],
    ['no one who collected the consent', { consent_collected_by: '' }, 'line 2: consent_collected_by', 'who collected the consent is required', 'missing'],
    ['no date of consent', { consent_collected_at: '' }, 'line 2: consent_collected_at', 'when the consent was collected is required', 'missing'],
    ['a date of consent that is no date', { consent_collected_at: 'last week' }, 'line 2: consent_collected_at', 'must be a date', 'value'],
    ['a date of consent in the future', { consent_collected_at: '2025-03-02' }, 'line 2: consent_collected_at', 'must not be in the future', 'value'],
    ['no method of consent', { consent_method: '' }, 'line 2: consent_method', 'how the consent was collected is required', 'missing'],
  ])('refuses %s, naming the line and field, as a problem of its kind', (_case, fields, field, message, kind) => {
    // Act
    const { rows, issues } = read(csv(row(fields)));

    // Assess
    expect(rows).toEqual([]);
    expect(issues).toEqual([{ field, message: expect.stringContaining(message), kind, line: 2 }]);
  });

  it.each([
    ['a row with more fields than the header', csv(`${row()},extra`), [{ field: 'line 2: csv', message: 'has 10 fields; the header has 9', kind: 'file', line: 2 }]],
    ['an unknown column', 'phone,topic,postcode,consent_collected_by,consent_collected_at,consent_method\n', [{ field: 'line 1: postcode', message: expect.stringContaining('unknown column'), kind: 'file', line: 1 }]],
    ['a missing required column', 'phone,topic,consent_collected_by,consent_collected_at\n', [{ field: 'line 1: consent_method', message: expect.stringContaining('required'), kind: 'file', line: 1 }]],
    ['a column twice', `${HEADER},phone\n`, [{ field: 'line 1: phone', message: 'the column appears twice', kind: 'file', line: 1 }]],
    ['an empty file', '', [{ field: 'body', message: expect.stringContaining('empty'), kind: 'file', line: undefined }]],
    ['a header and no rows', `${HEADER}\n`, [{ field: 'body', message: 'the file has a header but no rows', kind: 'file', line: undefined }]],
    ['an unclosed quote', csv(row(), '"07700 900102,youth'), [{ field: expect.stringMatching(/^line \d+: csv$/), message: expect.stringContaining('Quote Not Closed'), kind: 'file', line: expect.any(Number) }]],
  ])('refuses %s', (_case, text, expected) => {
    // Act
    const { rows, issues } = read(text);

    // Assess
    expect(rows).toEqual([]);
    expect(issues).toEqual(expected);
  });

  it('refuses a file with more rows than allowed, before reading any row', () => {
    // Act
    const { issues } = read(csv(row(), row(), row()), 2);

    // Assess
    expect(issues).toEqual([{ field: 'body', message: 'at most 2 rows per import; this file has 3: split it', kind: 'file', line: undefined }]);
  });

  it('reports every bad row by its own line, blank lines counted', () => {
    // Act
    const { issues } = read(csv(row(), '', row({ phone: 'nope' }), row({ channel: 'pigeon', consent_method: '' })));

    // Assess
    expect(issues.map((issue) => issue.field)).toEqual(['line 4: phone', 'line 5: channel', 'line 5: consent_method']);
  });
});

describe('importSubscribers', () => {
  it('subscribes each row with its evidence and profile, and audits counts without numbers', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    const file = csv(row(), row({ phone: '+447700900102', channel: 'whatsapp', language: '', area: '', age_band: '' }));

    // Act
    const summary = await importSubscribers(deps, youthSender, { csv: file, defaultCountry: 'GB' });

    // Assess
    const batchId = importBatchId('key-youth', file);
    expect(summary).toEqual({ batchId, rows: 2, imported: 2, alreadySubscribed: 0, topics: [{ topicId: 'youth', imported: 2, alreadySubscribed: 0 }] });
    expect(await stores.subscribers.getProfile(aPhone(101))).toEqual(expect.objectContaining({ language: 'cy', area: 'CF10', ageBand: '16-17' }));
    expect(await stores.subscribers.subscriptions(aPhone(102))).toEqual([{ phone: aPhone(102), channel: 'whatsapp', topicId: 'youth', since: NOW }]);
    expect(await stores.subscribers.consentHistory(aPhone(101))).toEqual([
      {
        at: NOW,
        action: 'opt_in',
        channel: 'sms',
        topicId: 'youth',
        evidence: {
          kind: 'import',
          batchId,
          actor: 'key-youth',
          collectedBy: 'Grangetown youth club',
          collectedAt: '2025-02-20T00:00:00.000Z',
          method: 'paper form',
        },
      },
    ]);
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({
        action: 'subscriber.import',
        target: { type: 'subscriberImport', id: batchId },
        after: { rows: 2, imported: 2, alreadySubscribed: 0, topics: ['youth'] },
      }),
    ]);
    expect(JSON.stringify(stores.audit.entries)).not.toContain('7700900');
  });

  it('counts a resident already subscribed and leaves their profile as they gave it', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    await stores.subscribers.subscribe(aPhone(101), 'sms', 'youth', NOW, inboundEvidence({ text: 'JOIN YOUTH' }));
    await stores.subscribers.updateProfile(aPhone(101), 'sms', { area: 'NP20' }, NOW, inboundEvidence({ text: 'AREA NP20' }));

    // Act
    const summary = await importSubscribers(deps, operator, { csv: csv(row(), row({ topic: 'traffic' })), defaultCountry: 'GB' });

    // Assess
    expect(summary).toEqual(expect.objectContaining({ imported: 1, alreadySubscribed: 1 }));
    expect(summary.topics).toEqual([
      { topicId: 'traffic', imported: 1, alreadySubscribed: 0 },
      { topicId: 'youth', imported: 0, alreadySubscribed: 1 },
    ]);
    expect((await stores.subscribers.getProfile(aPhone(101)))?.area).toBe('NP20');
  });

  it('is the same batch when the same key sends the same file again, and nothing is doubled', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    const file = csv(row(), row({ phone: '07700900102' }));
    const first = await importSubscribers(deps, youthSender, { csv: file, defaultCountry: 'GB' });

    // Act
    const second = await importSubscribers(deps, youthSender, { csv: file, defaultCountry: 'GB' });

    // Assess
    expect(second).toEqual(first);
    expect(await stores.topics.subscriberCount('youth')).toBe(2);
    expect(await stores.subscribers.consentHistory(aPhone(101))).toHaveLength(1);
  });

  it.each([
    ['an unknown topic', () => row({ topic: 'bins' }), 'line 2: topic', 'there is no topic "bins"'],
    ['an archived topic', () => row({ topic: 'old-news' }), 'line 2: topic', 'topic "old-news" is archived'],
    ['a topic of another department', () => row({ topic: 'traffic' }), 'line 2: topic', 'belongs to department "traffic", not this key\'s "youth"'],
  ])('refuses %s, and imports nothing', async (_case, bad, field, message) => {
    // Prepare
    const { stores, deps } = await setUp();

    // Act
    const error = await refusal(importSubscribers(deps, youthSender, { csv: csv(row({ phone: '07700900150' }), bad()), defaultCountry: 'GB' }));

    // Assess
    expect(error.details).toEqual([{ field: field.replace('line 2', 'line 3'), message: expect.stringContaining(message) }]);
    expect(await stores.subscribers.getProfile(aPhone(150))).toBeUndefined();
    expect(stores.audit.entries).toEqual([]);
  });

  it('refuses the same number, topic and channel twice in the file', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row(), row({ channel: 'whatsapp' }), row({ phone: '+447700900101' })), defaultCountry: 'GB' }));

    // Assess
    expect(error.details).toEqual([{ field: 'line 4: phone', message: 'repeats line 2 (the same number, topic and channel)' }]);
  });

  it('refuses a number erased at the resident’s request', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    await stores.subscribers.subscribe(aPhone(101), 'sms', 'traffic', NOW, inboundEvidence());
    await stores.subscribers.erase(aPhone(101), NOW, 'key-operator');

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row()), defaultCountry: 'GB' }));

    // Assess
    expect(error.details).toEqual([{ field: 'line 2: phone', message: expect.stringContaining('erased') }]);
    expect(await stores.subscribers.getProfile(aPhone(101))).toBeUndefined();
  });

  it('refuses a resident who opted out on that channel: an import never overrides a STOP', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    await stores.subscribers.subscribe(aPhone(101), 'sms', 'youth', NOW, inboundEvidence());
    await stores.subscribers.optOut(aPhone(101), 'sms', NOW, inboundEvidence({ text: 'STOP' }));

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row(), row({ phone: '07700900102' })), defaultCountry: 'GB' }));

    // Assess
    expect(error.details).toEqual([{ field: 'line 2: phone', message: expect.stringContaining('opted out of sms on 2025-03-01') }]);
    expect(await stores.subscribers.subscriptions(aPhone(101))).toEqual([]);
    expect(await stores.subscribers.getProfile(aPhone(102))).toBeUndefined();
  });

  it('refuses a resident who left that topic by text', async () => {
    // Prepare
    const { stores, deps } = await setUp();
    await stores.subscribers.subscribe(aPhone(101), 'sms', 'youth', NOW, inboundEvidence());
    await stores.subscribers.leaveTopic(aPhone(101), 'sms', 'youth', '2025-03-01T09:05:00.000Z', inboundEvidence({ text: 'STOP YOUTH' }));

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row()), defaultCountry: 'GB' }));

    // Assess
    expect(error.details).toEqual([{ field: 'line 2: topic', message: expect.stringContaining('left "youth" on sms') }]);
  });

  it('reports every bad row of the file at once', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row({ topic: 'bins' }), row({ phone: '07700900103', topic: 'old-news' }), row({ phone: '07700900103', topic: 'old-news' })), defaultCountry: 'GB' }));

    // Assess
    expect(error.details.map((issue) => issue.field)).toEqual(['line 2: topic', 'line 3: topic', 'line 4: topic', 'line 4: phone']);
  });

  it('reports malformed rows and rows refused by the stored state together, in the order of the file', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const error = await refusal(importSubscribers(deps, operator, { csv: csv(row({ topic: 'bins' }), row({ phone: '07700900102', channel: 'fax' })), defaultCountry: 'GB' }));

    // Assess
    expect(error.details.map((issue) => issue.field)).toEqual(['line 2: topic', 'line 3: channel']);
    expect(error.message).toBe('2 problems in the file; nothing was imported');
  });

  it.each(roleSchema.options.map((role) => [role, role === 'operator' || role === 'sender'] as const))(
    'a %s key may import: %s',
    async (role, allowed) => {
      // Prepare
      const { deps } = await setUp();
      const principal = aPrincipal({ keyId: `key-${role}`, role, department: 'youth' });

      // Act
      const outcome = await importSubscribers(deps, principal, { csv: csv(row()), defaultCountry: 'GB' }).then(
        () => 'imported',
        (error: unknown) => error,
      );

      // Assess
      if (allowed) expect(outcome).toBe('imported');
      else expect(outcome).toBeInstanceOf(ForbiddenError);
    },
  );

  it('caps a file at the documented number of rows', () => {
    // Assess
    expect(MAX_IMPORT_ROWS).toBe(10_000);
  });
});

describe('inPool', () => {
  it('starts nothing new after the first failure and says what was started', async () => {
    // Prepare
    const items = [1, 2, 3, 4, 5, 6];

    // Act
    const { started, failure } = await inPool(items, 2, async (item) => {
      if (item === 3) throw new Error('three');
    });

    // Assess
    expect(failure).toEqual({ error: new Error('three') });
    expect(started.length).toBeLessThan(items.length);
    expect(started).toContain(3);
  });
});
