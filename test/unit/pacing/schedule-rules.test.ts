import { describe, expect, it } from 'vitest';
import {
  bookingCost,
  bookingWriteOf,
  extensionStart,
  knownRefusal,
  retryAtAfterRefusal,
  scheduleOrIdle,
  URGENT_HOLD_MS,
  writesToTry,
} from '../../../shared/pacing/schedule-rules.js';
import type { PaceRequest } from '../../../shared/pacing/send-pacer.js';

const NOW = Date.parse('2025-03-01T09:00:00.000Z');
/** 10 slots at 100 a second (100 ms of the schedule), startable within 3 s. */
const request = (overrides: Partial<PaceRequest> = {}): PaceRequest => ({
  sender: 'sandbox:sms:sandbox-sms',
  units: 10,
  messagesPerSecond: 100,
  lane: 'normal',
  now: NOW,
  latestStart: NOW + 3_000,
  ...overrides,
});

describe('bookingCost: what slots take of the schedule', () => {
  it.each([
    { units: 10, messagesPerSecond: 100, cost: 100 },
    { units: 1, messagesPerSecond: 9.8, cost: 1000 / 9.8 },
    { units: 3, messagesPerSecond: 1, cost: 3_000 },
  ])('$units slots at $messagesPerSecond a second take $cost ms', ({ units, messagesPerSecond, cost }) => {
    // Act
    const taken = bookingCost({ units, messagesPerSecond });

    // Assess
    expect(taken).toBeCloseTo(cost, 9);
  });
});

describe('bookingWriteOf: the urgent hold, by lane', () => {
  it.each([
    { lane: 'urgent' as const, write: { sender: 'sandbox:sms:sandbox-sms', now: NOW, urgentUntil: NOW + 100 + URGENT_HOLD_MS, unlessUrgent: false } },
    { lane: 'normal' as const, write: { sender: 'sandbox:sms:sandbox-sms', now: NOW, unlessUrgent: true } },
    { lane: 'reply' as const, write: { sender: 'sandbox:sms:sandbox-sms', now: NOW, unlessUrgent: false } },
  ])('$lane', ({ lane, write }) => {
    // Act
    const made = bookingWriteOf(request({ lane }));

    // Assess
    expect(made).toEqual(write);
  });
});

describe('knownRefusal: refused without asking the store', () => {
  it.each([
    { case: 'nothing seen yet', overrides: {}, seen: undefined, refusal: undefined },
    { case: 'seen within reach', overrides: {}, seen: NOW + 3_000, refusal: undefined },
    { case: 'seen beyond reach: back when it would be within it', overrides: {}, seen: NOW + 4_000, refusal: { granted: false, retryAt: NOW + 1_000 } },
    { case: 'latest start already gone: back at once', overrides: { latestStart: NOW - 1 }, seen: undefined, refusal: { granted: false, retryAt: NOW } },
    { case: 'latest start gone, schedule seen far off: still back at once', overrides: { latestStart: NOW - 1 }, seen: NOW + 9_000, refusal: { granted: false, retryAt: NOW } },
  ])('$case', ({ overrides, seen, refusal }) => {
    // Act
    const refused = knownRefusal(request(overrides), seen);

    // Assess
    expect(refused).toEqual(refusal);
  });
});

describe('writesToTry: the write more likely to succeed first', () => {
  it.each([
    { case: 'a schedule never seen', seen: undefined, writes: ['restart', 'extend'] },
    { case: 'a schedule seen run dry', seen: NOW - 1, writes: ['restart', 'extend'] },
    { case: 'a schedule seen running to now', seen: NOW, writes: ['extend'] },
    { case: 'a schedule seen running ahead', seen: NOW + 500, writes: ['extend'] },
  ])('$case: $writes', ({ seen, writes }) => {
    // Act
    const order = writesToTry(seen, NOW);

    // Assess
    expect(order).toEqual(writes);
  });
});

describe('extensionStart: never a slot in the past', () => {
  it.each([
    { previous: NOW + 40, start: NOW + 40 },
    { previous: NOW, start: NOW },
    { previous: NOW - 40, start: NOW },
  ])('schedule at $previous starts at $start', ({ previous, start }) => {
    // Act
    const startAt = extensionStart(previous, NOW);

    // Assess
    expect(startAt).toBe(start);
  });
});

describe('retryAtAfterRefusal: when a refused booking is worth trying again', () => {
  it.each([
    { case: 'bulk lane during the urgent hold: after it', lane: 'normal' as const, schedule: { nextAt: NOW + 100, urgentUntil: NOW + 3_100 }, retryAt: NOW + 3_100 },
    { case: 'bulk lane after the urgent hold, within reach: at once (a lost race)', lane: 'normal' as const, schedule: { nextAt: NOW + 100, urgentUntil: NOW }, retryAt: NOW },
    { case: 'urgent lane ignores the hold, beyond reach', lane: 'urgent' as const, schedule: { nextAt: NOW + 4_100, urgentUntil: NOW + 9_000 }, retryAt: NOW + 1_100 },
    { case: 'reply ignores the hold, within reach', lane: 'reply' as const, schedule: { nextAt: NOW + 3_000, urgentUntil: NOW + 9_000 }, retryAt: NOW },
    { case: 'no schedule: at once', lane: 'normal' as const, schedule: scheduleOrIdle(undefined, NOW), retryAt: NOW },
  ])('$case', ({ lane, schedule, retryAt }) => {
    // Act
    const at = retryAtAfterRefusal(request({ lane }), schedule);

    // Assess
    expect(at).toBe(retryAt);
  });
});
