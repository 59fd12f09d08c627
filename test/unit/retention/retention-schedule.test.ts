import { describe, expect, it } from 'vitest';
import { tableEnvSchema } from '../../../shared/config/env.js';
import { parseEnvironment } from '../../../shared/runtime/environment.js';
import { defaultRetention, retentionEnvironment, retentionPeriodsOf, type RetentionPeriods } from '../../../shared/retention/periods.js';
import { expiresAt, type RetainedKind, type RetainedRecord } from '../../../shared/retention/schedule.js';

const DAY = 86_400;
const AT = '2026-01-10T12:00:00.000Z';
const AT_SECONDS = Date.parse(AT) / 1000;
const HANDLED = '2026-03-01T09:30:00.000Z';
const HANDLED_SECONDS = Date.parse(HANDLED) / 1000;

/** Periods that differ from each other, so a rule that reads the wrong one shows. */
const periods: RetentionPeriods = { messagesDays: 30, inboundDays: 40, inboxDays: 50, consentDays: 700, auditDays: 2000 };

/** One row per record kind, the expected expiry worked out by hand from the periods above. */
const schedule: ReadonlyArray<[string, RetainedRecord, number | undefined]> = [
  ['a message record, from when it was claimed', { kind: 'message', createdAt: AT }, AT_SECONDS + 30 * DAY],
  ['an inbound text, from its arrival', { kind: 'inbound', at: AT }, AT_SECONDS + 40 * DAY],
  ['a reference to a text, past the longest of text, inbox and reply, plus 15 days', { kind: 'inboundReference', at: AT }, AT_SECONDS + (50 + 15) * DAY],
  ['a reference to a handled text, past its handling', { kind: 'inboundReference', at: AT, handledAt: HANDLED }, HANDLED_SECONDS + (50 + 15) * DAY],
  ['an unhandled inbox entry, from its arrival', { kind: 'inboxEntry', receivedAt: AT }, AT_SECONDS + 50 * DAY],
  ['a handled inbox entry, from its handling', { kind: 'inboxEntry', receivedAt: AT, handledAt: HANDLED }, HANDLED_SECONDS + 50 * DAY],
  ['the record of a subscribed resident: kept', { kind: 'residentRecord', lastChangeAt: AT, subscriptions: 2 }, undefined],
  ['the record of a resident subscribed to nothing, from their last change', { kind: 'residentRecord', lastChangeAt: AT, subscriptions: 0 }, AT_SECONDS + 700 * DAY],
  ['an audit record', { kind: 'audit', at: AT }, AT_SECONDS + 2000 * DAY],
  ["a deployed sandbox's message, a week", { kind: 'sandboxMessage', at: AT }, AT_SECONDS + 7 * DAY],
  ['an erasure tombstone: kept', { kind: 'tombstone' }, undefined],
];

describe('the retention schedule', () => {
  it('has a row for every kind of record', () => {
    // Prepare
    const kinds: Record<RetainedKind, true> = {
      message: true,
      inbound: true,
      inboundReference: true,
      inboxEntry: true,
      residentRecord: true,
      audit: true,
      sandboxMessage: true,
      tombstone: true,
    };

    // Act
    const covered = new Set(schedule.map(([, record]) => record.kind));

    // Assess
    expect([...covered].sort()).toEqual(Object.keys(kinds).sort());
  });

  it.each(schedule)('%s', (_name, record, expected) => {
    // Prepare
    const input = structuredClone(record);

    // Act
    const expiry = expiresAt(input, periods);

    // Assess
    expect(expiry).toBe(expected);
  });

  it('never lets a reference go before the reply it points to, however late the reply was claimed within the queue retention', () => {
    // Prepare
    const arrived = AT;
    const replyClaimed = new Date(Date.parse(AT) + 14 * DAY * 1000).toISOString();

    // Act
    const reference = expiresAt({ kind: 'inboundReference', at: arrived }, periods);
    const reply = expiresAt({ kind: 'message', createdAt: replyClaimed }, periods);

    // Assess
    expect(reference).toBeGreaterThan(reply);
  });

  it('refuses a time that is not one', () => {
    // Prepare
    const record: RetainedRecord = { kind: 'audit', at: 'yesterday' };

    // Act
    const attempt = () => expiresAt(record, periods);

    // Assess
    expect(attempt).toThrow(/not an ISO time: yesterday/);
  });
});

describe('retention settings', () => {
  it('default to 90 days for messages, texts and the inbox, two years for the consent ledger and six for the audit log', () => {
    // Prepare
    const source = { TABLE_NAME: 'crier-prod' };

    // Act
    const env = parseEnvironment(tableEnvSchema, source);

    // Assess
    expect(retentionPeriodsOf(env)).toEqual({ messagesDays: 90, inboundDays: 90, inboxDays: 90, consentDays: 730, auditDays: 2190 });
    expect(retentionPeriodsOf(env)).toEqual(defaultRetention);
  });

  it('round-trip through the environment a deployment hands its functions', () => {
    // Prepare
    const source = { TABLE_NAME: 'crier-prod', ...retentionEnvironment(periods) };

    // Act
    const env = parseEnvironment(tableEnvSchema, source);

    // Assess
    expect(retentionPeriodsOf(env)).toEqual(periods);
  });

  it.each([
    ['RETAIN_MESSAGES_DAYS', '7', 'a message record is the claim that stops a redelivered job sending twice'],
    ['RETAIN_INBOUND_DAYS', '14', 'an inbound record is what makes a provider retry a no-op'],
    ['RETAIN_INBOX_DAYS', '0', 'at least a day'],
    ['RETAIN_CONSENT_DAYS', 'two years', 'a number of days'],
    ['RETAIN_AUDIT_DAYS', '99999', 'at most ten years'],
  ])('refuse %s=%s (%s), naming the variable', (variable, value) => {
    // Prepare
    const source = { TABLE_NAME: 'crier-prod', [variable]: value };

    // Act
    const attempt = () => parseEnvironment(tableEnvSchema, source);

    // Assess
    expect(attempt).toThrow(new RegExp(`${variable}: `));
  });
});
