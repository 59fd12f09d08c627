import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { deliveryReport, deliveryReportCsv, showsNumbers, type DeliveryReportRow } from '../../../shared/broadcasts/delivery-report.js';
import { errorCodeWords, maskNumber, providerErrorWords, reasonOf, skipReasonWords } from '../../../shared/broadcasts/delivery-report-rows.js';
import { NotFoundError, ForbiddenError, providerErrorKinds } from '../../../shared/domain/errors.js';
import { skipReasonSchema, type Role } from '../../../shared/domain/model.js';
import { broadcastMessageId } from '../../../shared/sending/send.js';
import { aBroadcast, aMessageRecord, aPrincipal } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const PHONE = '+447700900123';
const BROADCAST = '01jbroadcast0000000000000a';

const aRow = (overrides: Partial<DeliveryReportRow> = {}): DeliveryReportRow => ({
  number: PHONE,
  channel: 'sms',
  status: 'delivered',
  time: '2026-12-01T09:00:05.000Z',
  reason: '',
  ...overrides,
});

async function setUp(broadcast = aBroadcast({ id: BROADCAST, department: 'traffic' })) {
  const stores = inMemoryStores();
  await stores.broadcasts.create(broadcast);
  await stores.messages.claim(aMessageRecord({ messageId: broadcastMessageId(broadcast.id, PHONE), broadcastId: broadcast.id, to: PHONE, status: 'sending' }));
  await stores.messages.markSent(broadcastMessageId(broadcast.id, PHONE), 'sandbox', 'SM1', '2026-12-01T09:00:01.000Z');
  return { deps: { stores, clock: new FixedClock(), ids: new SequentialIds('audit') }, stores };
}

describe('who sees whole numbers in the report: the roles that may read residents (subscribers:read)', () => {
  const rows: { role: Role; mode: 'live' | 'test'; whole: boolean }[] = [
    { role: 'operator', mode: 'live', whole: true },
    { role: 'approver', mode: 'live', whole: false },
    { role: 'sender', mode: 'live', whole: false },
    { role: 'viewer', mode: 'live', whole: false },
    // A test key never reads a resident's number, whatever its role.
    { role: 'operator', mode: 'test', whole: false },
  ];

  it.each(rows)('$mode $role: whole numbers $whole', async ({ role, mode, whole }) => {
    // Prepare
    const { deps } = await setUp(aBroadcast({ id: BROADCAST, department: 'traffic', mode }));
    const principal = aPrincipal({ role, mode, department: 'traffic' });

    // Act
    const { rows: [row] } = await deliveryReport(deps, principal, BROADCAST, { limit: 10 });

    // Assess
    expect(row?.number).toBe(whole ? PHONE : '*********123');
    expect(showsNumbers(principal, { department: 'traffic', mode })).toBe(whole);
  });
});

describe('deliveryReport', () => {
  it("gives a row per message: number, channel, status, the time it last moved, and why it was skipped or failed", async () => {
    // Prepare
    const { deps, stores } = await setUp();
    await stores.messages.recordOnce(
      aMessageRecord({ messageId: broadcastMessageId(BROADCAST, '+447700900999'), broadcastId: BROADCAST, to: '+447700900999', channel: 'whatsapp', status: 'skipped', skipReason: 'whatsapp_window_closed', updatedAt: '2026-12-01T09:00:02.000Z' }),
    );
    await stores.messages.applyReceipt(broadcastMessageId(BROADCAST, PHONE), 'undelivered', '30003', '2026-12-01T09:00:09.000Z');

    // Act
    const report = await deliveryReport(deps, aPrincipal({ role: 'operator', department: 'it' }), BROADCAST, { limit: 10 });

    // Assess
    expect(report).toEqual({
      rows: [
        { number: PHONE, channel: 'sms', status: 'undelivered', time: '2026-12-01T09:00:09.000Z', reason: 'The provider reported error 30003.' },
        { number: '+447700900999', channel: 'whatsapp', status: 'skipped', time: '2026-12-01T09:00:02.000Z', reason: skipReasonWords.whatsapp_window_closed },
      ],
      cursor: undefined,
    });
  });

  it('is not there for a test key when the broadcast is live: 404, as the broadcast itself', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const report = deliveryReport(deps, aPrincipal({ role: 'operator', mode: 'test' }), BROADCAST, { limit: 10 });

    // Assess
    await expect(report).rejects.toThrow(NotFoundError);
  });

  it("is refused to another department's sender, as the broadcast is", async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const report = deliveryReport(deps, aPrincipal({ role: 'sender', department: 'youth' }), BROADCAST, { limit: 10 });

    // Assess
    await expect(report).rejects.toThrow(ForbiddenError);
  });
});

describe('reasons in words', () => {
  it.each(skipReasonSchema.options)('skipped for %s', (reason) => {
    // Act
    const words = reasonOf({ status: 'skipped', skipReason: reason, errorCode: undefined });

    // Assess
    expect(words).toBe(skipReasonWords[reason]);
    expect(words).toMatch(/^[A-Z].*\.$/);
  });

  it.each(Object.keys(providerErrorKinds) as (keyof typeof providerErrorKinds)[])('failed with the provider error kind %s', (kind) => {
    // Act
    const words = errorCodeWords(kind);

    // Assess
    expect(words).toBe(providerErrorWords[kind]);
    expect(words).toMatch(/^[A-Z].*\.$/);
  });

  it.each([
    { code: 'retries_exhausted:throttled', words: `Given up after retrying. ${providerErrorWords.throttled}` },
    { code: 'ambiguous', words: 'The send ended unexpectedly, so the message may have been sent; it was not sent again.' },
    { code: '21610', words: 'The provider reported error 21610.' },
  ])('the code $code', ({ code, words }) => {
    // Act
    const said = errorCodeWords(code);

    // Assess
    expect(said).toBe(words);
  });

  it('says nothing for a message that went well', () => {
    // Act
    const words = reasonOf({ status: 'delivered', skipReason: undefined, errorCode: undefined });

    // Assess
    expect(words).toBe('');
  });
});

describe('maskNumber', () => {
  it.each([
    { phone: '+447700900123', masked: '*********123' },
    { phone: '+353851234567', masked: '*********567' },
    { phone: '[erased]', masked: '[erased]' },
  ])('$phone → $masked', ({ phone, masked }) => {
    // Act
    const shown = maskNumber(phone);

    // Assess
    expect(shown).toBe(masked);
  });
});

describe('deliveryReportCsv', () => {
  it('writes a header and one CRLF-ended line per row', () => {
    // Act
    const csv = deliveryReportCsv([aRow({ number: '*********123' })]);

    // Assess
    expect(csv).toBe('number,channel,status,time,reason\r\n*********123,sms,delivered,2026-12-01T09:00:05.000Z,\r\n');
  });

  it('quotes commas, quotes and line breaks so that a CSV reader gets the cells back', () => {
    // Prepare
    const reason = 'The provider said "no", twice,\r\nthen\nagain.';

    // Act
    const csv = deliveryReportCsv([aRow({ number: '*********123', reason })]);

    // Assess
    expect(parse(csv, { columns: true })).toEqual([{ number: '*********123', channel: 'sms', status: 'delivered', time: '2026-12-01T09:00:05.000Z', reason }]);
  });

  it.each(['=HYPERLINK("http://evil.example","x")', '+447700900123', '-1+1', '@SUM(A1)', '\t=1', '\r=1'])(
    'keeps a spreadsheet from running %j: an apostrophe first',
    (cell) => {
      // Act
      const [record] = parse(deliveryReportCsv([aRow({ reason: cell, number: cell })]), { columns: true }) as Record<string, string>[];

      // Assess
      expect(record?.reason).toBe(`'${cell}`);
      expect(record?.number).toBe(`'${cell}`);
    },
  );

  it('writes only the lines with header: false (a later page)', () => {
    // Act
    const csv = deliveryReportCsv([aRow({ number: '*********123' })], { header: false });

    // Assess
    expect(csv).toBe('*********123,sms,delivered,2026-12-01T09:00:05.000Z,\r\n');
  });
});
