import { describe, expect, it } from 'vitest';
import type { Broadcast } from '../../cli/admin-api.js';
import {
  broadcastRequestOf,
  describeDistance,
  describeTime,
  parseBroadcastOptions,
  parseSendAt,
  parseVariant,
  parseVariants,
} from '../../cli/broadcast-options.js';
import { describeCounts, whyScheduled } from '../../cli/broadcast-views.js';
import { limitValue } from '../../cli/commands/departments.js';
import { UsageError } from '../../cli/errors.js';
import { reasonToStop } from '../../cli/watch-broadcast.js';

describe('--variant <lang=text>', () => {
  it.each([
    { text: 'cy=Ciwiau ar yr A470', expected: { ok: true, language: 'cy', text: 'Ciwiau ar yr A470' } },
    { text: 'CY = Ciwiau ', expected: { ok: true, language: 'cy', text: 'Ciwiau' } },
    { text: 'es=a=b', expected: { ok: true, language: 'es', text: 'a=b' } },
    { text: 'cy Ciwiau', expected: { ok: false, message: expect.stringContaining('must be <language>=<text>') } },
    { text: 'fr=Bouchons', expected: { ok: false, message: expect.stringContaining('"fr" is not a language crier writes in (en, cy, es)') } },
    { text: 'cy=  ', expected: { ok: false, message: 'the cy text must not be empty' } },
    { text: '=text', expected: { ok: false, message: expect.stringContaining('"" is not a language') } },
  ])('$text', ({ text, expected }) => {
    // Prepare / Act
    const result = parseVariant(text);

    // Assess
    expect(result).toEqual(expected);
  });

  it('refuses a language given twice rather than keep one silently', () => {
    // Prepare
    const values = ['cy=Un', 'es=Uno', 'cy=Dau'];

    // Act
    const result = parseVariants(values);

    // Assess
    expect(result).toEqual({ variants: { cy: 'Un', es: 'Uno' }, problems: ['cy is given twice'] });
  });
});

describe('--at <time>', () => {
  it.each([
    { text: '2025-03-01T18:00:00Z', utc: '2025-03-01T18:00:00.000Z' },
    { text: '2025-03-01T18:00Z', utc: '2025-03-01T18:00:00.000Z' },
    { text: '2025-07-01T19:00+01:00', utc: '2025-07-01T18:00:00.000Z' },
    { text: '2025-07-01T19:00:30.5+0100', utc: '2025-07-01T18:00:30.500Z' },
    { text: '2025-07-01 13:00-05', utc: '2025-07-01T18:00:00.000Z' },
    { text: ' 2025-03-01t18:00:00z ', utc: '2025-03-01T18:00:00.000Z' },
  ])('reads $text as $utc', ({ text, utc }) => {
    // Prepare / Act
    const result = parseSendAt(text);

    // Assess
    expect(result.ok && result.at.toISOString()).toBe(utc);
  });

  it.each([
    { text: '2025-03-01T18:00:00', message: 'has no offset: add one, such as 2025-03-01T18:00:00Z (UTC) or +01:00 (BST)' },
    { text: '2025-03-01', message: 'has no offset' },
    { text: '2025-02-30T18:00Z', message: 'is not a real date and time' },
    { text: '2025-03-01T24:00Z', message: 'is not a real date and time' },
    { text: '2025-03-01T18:00+15:00', message: 'is not an offset' },
    { text: 'tomorrow 6pm', message: 'is not an ISO 8601 time with an offset' },
    { text: '1740852000', message: 'is not an ISO 8601 time with an offset' },
  ])('refuses $text', ({ text, message }) => {
    // Prepare / Act
    const result = parseSendAt(text);

    // Assess
    expect(result.ok ? 'accepted' : result.message).toContain(message);
  });
});

describe('times as people read them', () => {
  it.each([
    { at: '2025-03-01T18:00:00Z', text: 'Sat 1 Mar 2025 18:00 GMT (Europe/London) = 2025-03-01 18:00 UTC' },
    { at: '2025-07-01T18:00:00Z', text: 'Tue 1 Jul 2025 19:00 BST (Europe/London) = 2025-07-01 18:00 UTC' },
    { at: '2025-03-30T01:30:00Z', text: 'Sun 30 Mar 2025 02:30 BST (Europe/London) = 2025-03-30 01:30 UTC' },
  ])('$at', ({ at, text }) => {
    // Prepare / Act
    const result = describeTime(at);

    // Assess
    expect(result).toBe(text);
  });

  it.each([
    { offsetMs: 40_000, text: 'in 40 s' },
    { offsetMs: 5 * 60_000, text: 'in 5 min' },
    { offsetMs: (3 * 60 + 5) * 60_000, text: 'in 3 h 5 min' },
    { offsetMs: -2 * 60_000, text: '2 min ago' },
    { offsetMs: 50 * 3_600_000, text: 'in 2 d 2 h' },
  ])('$text', ({ offsetMs, text }) => {
    // Prepare
    const now = new Date('2025-03-01T12:00:00Z');

    // Act
    const result = describeDistance(new Date(now.getTime() + offsetMs), now);

    // Assess
    expect(result).toBe(text);
  });
});

describe('send and preview options to the API request', () => {
  it('builds every part of the request from the options', () => {
    // Prepare
    const options = {
      topic: ['traffic', 'roads'],
      body: 'Roadworks in {{area|your area}}',
      urgent: true,
      area: ['CF10'],
      ageBand: ['16-17', '18-24'],
      language: ['CY', 'en'],
      variant: ['cy=Gwaith ffordd yn {{area|eich ardal}}'],
      template: 'roadworks_notice',
      templateParam: ['{{area|your area}}', 'tonight'],
      templateLanguage: 'en_GB',
      at: '2025-07-01T19:00+01:00',
      draft: true,
    };

    // Act
    const request = broadcastRequestOf(parseBroadcastOptions(options));

    // Assess
    expect(request).toEqual({
      topics: ['traffic', 'roads'],
      body: 'Roadworks in {{area|your area}}',
      priority: 'urgent',
      variants: { cy: 'Gwaith ffordd yn {{area|eich ardal}}' },
      whatsappTemplate: { name: 'roadworks_notice', language: 'en_GB', parameters: ['{{area|your area}}', 'tonight'] },
      filters: { areas: ['CF10'], ageBands: ['16-17', '18-24'], languages: ['cy', 'en'] },
      sendAt: '2025-07-01T18:00:00.000Z',
      draft: true,
    });
  });

  it('leaves out what was not given', () => {
    // Prepare / Act
    const request = broadcastRequestOf(parseBroadcastOptions({ topic: ['traffic'], body: 'Road closed' }));

    // Assess
    expect(request).toEqual({ topics: ['traffic'], body: 'Road closed', priority: 'normal' });
  });

  it.each([
    { case: 'an unknown age band', options: { ageBand: ['12'] }, field: 'age-band.0', message: 'must be one of 13-15, 16-17, 18-24, 25+' },
    { case: 'an unknown language', options: { language: ['fr'] }, field: 'language.0', message: 'must be one of en, cy, es' },
    { case: 'a variant without "="', options: { variant: ['cy'] }, field: 'variant', message: 'must be <language>=<text>' },
    { case: '--at without an offset', options: { at: '2025-03-01T18:00' }, field: 'at', message: 'has no offset' },
    { case: '--template-param without --template', options: { templateParam: ['x'] }, field: 'template-param', message: 'needs --template <name>' },
    { case: '--template-language without --template', options: { templateLanguage: 'cy' }, field: 'template-language', message: 'needs --template <name>' },
    { case: 'an empty body', options: { body: ' ' }, field: 'body', message: 'must not be empty' },
  ])('refuses $case as a usage error naming the option', ({ options, field, message }) => {
    // Prepare
    const given = { topic: ['traffic'], body: 'Road closed', ...options };

    // Act
    const run = () => parseBroadcastOptions(given);

    // Assess
    expect(run).toThrow(UsageError);
    try {
      run();
    } catch (error) {
      expect((error as UsageError).details).toEqual([{ field, message: expect.stringContaining(message) }]);
    }
  });
});

describe('departments set-limits values', () => {
  it.each([
    { text: '500', value: 500 },
    { text: '0', value: 0 },
    { text: 'default', value: null },
    { text: 'DEFAULT', value: null },
    { text: '-1', value: 'refused' },
    { text: '1.5', value: 'refused' },
    { text: 'lots', value: 'refused' },
  ])('$text → $value', ({ text, value }) => {
    // Prepare / Act
    const result = limitValue.safeParse(text);

    // Assess
    expect(result.success ? result.data : 'refused').toBe(value);
  });
});

function broadcast(changes: Partial<Broadcast>): Broadcast {
  return {
    id: '01jabcdefghjkmnpqrstvwxyz0',
    status: 'scheduled',
    topics: ['traffic'],
    body: 'Road closed',
    priority: 'normal',
    mode: 'live',
    createdBy: 'operator',
    createdAt: '2025-03-01T12:00:00.000Z',
    approval: 'none',
    counts: { targeted: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0 },
    cost: { currency: 'GBP', estimated: 0, estimatedMicros: 0 },
    ...changes,
  };
}

describe('why a broadcast is scheduled', () => {
  it.each([
    { case: 'the time asked for', sendAt: '2025-03-01T18:00:00.000Z', startsAt: '2025-03-01T18:00:00.000Z', reason: 'scheduled for the time asked for (--at)' },
    { case: 'a time asked for in quiet hours', sendAt: '2025-03-01T22:00:00.000Z', startsAt: '2025-03-02T08:00:00.000Z', reason: 'asked for Sat 1 Mar 2025 22:00 GMT' },
    { case: 'quiet hours alone', sendAt: undefined, startsAt: '2025-03-02T08:00:00.000Z', reason: 'quiet hours: a normal-priority broadcast waits' },
  ])('$case', ({ sendAt, startsAt, reason }) => {
    // Prepare
    const scheduled = broadcast({ sendAt, startsAt });

    // Act
    const result = whyScheduled(scheduled);

    // Assess
    expect(result).toContain(reason);
  });
});

describe('when status --watch stops waiting', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  it.each([
    { case: 'scheduled in 5 min: waits', changes: { startsAt: '2025-03-01T12:05:00.000Z' }, stops: undefined },
    { case: 'scheduled in 2 h: stops', changes: { startsAt: '2025-03-01T14:00:00.000Z' }, stops: 'it starts in 2 h 0 min, more than 10 min away' },
    { case: 'due a minute ago: waits for the scheduler', changes: { startsAt: '2025-03-01T11:59:00.000Z' }, stops: undefined },
    { case: 'due 10 min ago: stops', changes: { startsAt: '2025-03-01T11:50:00.000Z' }, stops: 'is it running?' },
    { case: 'a draft: stops', changes: { status: 'draft' as const }, stops: 'it is a draft' },
    { case: 'waiting for approval: waits', changes: { status: 'pending_approval' as const }, stops: undefined },
    { case: 'sending: waits', changes: { status: 'sending' as const }, stops: undefined },
  ])('$case', ({ changes, stops }) => {
    // Prepare
    const watched = broadcast(changes);

    // Act
    const reason = reasonToStop(watched, now);

    // Assess
    if (stops === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(stops);
  });
});

describe('counts in the status view', () => {
  it.each<[string, Broadcast['counts'], string]>([
    [
      'splits the skips by reason beside their total',
      { targeted: 5, sent: 2, delivered: 1, undelivered: 0, failed: 1, skipped: 2, skippedBy: { opted_out: 1, missing_data: 1 } },
      'targeted 5 · sent 2 · delivered 1 · undelivered 0 · failed 1 · skipped 2 (opted_out 1, missing_data 1)',
    ],
    [
      'says nothing more without reasons (an older server)',
      { targeted: 1, sent: 1, delivered: 0, undelivered: 0, failed: 0, skipped: 0 },
      'targeted 1 · sent 1 · delivered 0 · undelivered 0 · failed 0 · skipped 0',
    ],
  ])('%s', (_case, counts, expected) => {
    // Prepare
    const given = structuredClone(counts);

    // Act
    const line = describeCounts(given);

    // Assess
    expect(line).toBe(expected);
  });
});
