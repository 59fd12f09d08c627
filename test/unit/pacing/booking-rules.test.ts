import { describe, expect, it } from 'vitest';
import {
  bookingCovers,
  bookingSize,
  BULK_HORIZON_MS,
  latestStartOf,
  MAX_AHEAD_MS,
  nextChunk,
  nextSlotAfterGrant,
  pacedRate,
  refusalWait,
} from '../../../shared/pacing/booking-rules.js';

const NOW = Date.parse('2025-03-01T09:00:00.000Z');

describe('pacedRate: the sender rate less the headroom', () => {
  it.each([
    { mps: 10, rate: 9.8 },
    { mps: 100, rate: 98 },
    { mps: undefined, rate: undefined },
  ])('$mps a second: $rate', ({ mps, rate }) => {
    // Act
    const paced = pacedRate(mps);

    // Assess
    expect(paced).toEqual(rate === undefined ? undefined : expect.closeTo(rate, 9));
  });
});

describe('bookingCovers: slots left in a function\'s own booking', () => {
  it.each([
    { case: 'fits exactly', nextSlot: NOW, bookedUntil: NOW + 300, units: 3, covers: true },
    { case: 'fits within float drift', nextSlot: NOW + 0.005, bookedUntil: NOW + 300, units: 3, covers: true },
    { case: 'one slot too many', nextSlot: NOW + 100, bookedUntil: NOW + 300, units: 3, covers: false },
    { case: 'nothing booked', nextSlot: NOW, bookedUntil: 0, units: 1, covers: false },
  ])('$case', ({ nextSlot, bookedUntil, units, covers }) => {
    // Act
    const covered = bookingCovers({ nextSlot, bookedUntil }, units, 10);

    // Assess
    expect(covered).toBe(covers);
  });
});

describe('nextChunk: doubles while used, shrinks by half at most when not, capped by lane', () => {
  it.each([
    { case: 'first booking', last: { chunk: 2, booked: 0, used: 0 }, rate: 20, lane: 'urgent' as const, chunk: 4 },
    { case: 'all used: doubles', last: { chunk: 8, booked: 8, used: 8 }, rate: 20, lane: 'urgent' as const, chunk: 16 },
    { case: 'urgent lane: a second of rate at most', last: { chunk: 16, booked: 16, used: 16 }, rate: 20, lane: 'urgent' as const, chunk: 20 },
    { case: 'reply: a second of rate at most', last: { chunk: 16, booked: 16, used: 16 }, rate: 9.8, lane: 'reply' as const, chunk: 10 },
    { case: 'bulk lane: half the horizon at most', last: { chunk: 8, booked: 8, used: 8 }, rate: 20, lane: 'normal' as const, chunk: 10 },
    { case: 'half used: halves', last: { chunk: 16, booked: 16, used: 2 }, rate: 20, lane: 'urgent' as const, chunk: 8 },
    { case: 'most used: what was used', last: { chunk: 16, booked: 16, used: 12 }, rate: 20, lane: 'urgent' as const, chunk: 12 },
    { case: 'none used: one at least', last: { chunk: 1, booked: 1, used: 0 }, rate: 20, lane: 'urgent' as const, chunk: 1 },
  ])('$case: $chunk', ({ last, rate, lane, chunk }) => {
    // Act
    const next = nextChunk(last, rate, lane);

    // Assess
    expect(next).toBe(chunk);
  });
});

describe('bookingSize: the chunk, what fits before the deadline, what is left of the job', () => {
  it.each([
    { case: 'the chunk', want: { units: 1, chunk: 8, unitsLeft: 100 }, deadline: NOW + 60_000, size: 8 },
    { case: 'what fits before the deadline (10 a second, 450 ms)', want: { units: 1, chunk: 8, unitsLeft: 100 }, deadline: NOW + 450, size: 4 },
    { case: 'what is left of the job', want: { units: 1, chunk: 8, unitsLeft: 3 }, deadline: NOW + 60_000, size: 3 },
    { case: 'never less than this message', want: { units: 3, chunk: 8, unitsLeft: 100 }, deadline: NOW + 100, size: 3 },
  ])('$case: $size', ({ want, deadline, size }) => {
    // Act
    const booked = bookingSize(want, 10, NOW, deadline);

    // Assess
    expect(booked).toBe(size);
  });
});

describe('latestStartOf: how far ahead a booking may start', () => {
  it.each([
    { case: 'bulk: ends within the horizon', lane: 'normal' as const, cost: 400, deadline: NOW + 60_000, latest: NOW + BULK_HORIZON_MS - 400 },
    { case: 'bulk: a message longer than the horizon waits for a free schedule', lane: 'normal' as const, cost: 3_000, deadline: NOW + 60_000, latest: NOW },
    { case: 'urgent: a minute ahead at most', lane: 'urgent' as const, cost: 400, deadline: NOW + 600_000, latest: NOW + MAX_AHEAD_MS },
    { case: 'reply: a minute ahead at most', lane: 'reply' as const, cost: 100, deadline: NOW + 600_000, latest: NOW + MAX_AHEAD_MS },
    { case: 'urgent: ends by the deadline', lane: 'urgent' as const, cost: 400, deadline: NOW + 5_000, latest: NOW + 4_600 },
  ])('$case', ({ lane, cost, deadline, latest }) => {
    // Act
    const latestStart = latestStartOf(lane, cost, NOW, deadline);

    // Assess
    expect(latestStart).toBe(latest);
  });
});

describe('refusalWait: wait in the function, or hand back to the queue', () => {
  it.each([
    { case: 'a short wait', retryAt: NOW + 500, deadline: NOW + 60_000, wait: 500 },
    { case: 'come back at once: a short pause still', retryAt: NOW, deadline: NOW + 60_000, wait: 20 },
    { case: 'longer than a function waits', retryAt: NOW + 30_001, deadline: NOW + 600_000, wait: undefined },
    { case: 'the booking would end past the deadline', retryAt: NOW + 500, deadline: NOW + 800, wait: undefined },
  ])('$case', ({ retryAt, deadline, wait }) => {
    // Act
    const waited = refusalWait(retryAt, 400, NOW, deadline);

    // Assess
    expect(waited).toBe(wait);
  });
});

describe('nextSlotAfterGrant: a grant right after the own booking keeps the slots left of it', () => {
  it.each([
    { case: 'right after the own booking', slots: { nextSlot: NOW + 200, bookedUntil: NOW + 300 }, startAt: NOW + 300, next: NOW + 200 },
    { case: 'after another function\'s', slots: { nextSlot: NOW + 200, bookedUntil: NOW + 300 }, startAt: NOW + 500, next: NOW + 500 },
    { case: 'own slots gone by', slots: { nextSlot: NOW - 10, bookedUntil: NOW + 300 }, startAt: NOW + 300, next: NOW + 300 },
  ])('$case', ({ slots, startAt, next }) => {
    // Act
    const nextSlot = nextSlotAfterGrant(slots, startAt, NOW);

    // Assess
    expect(nextSlot).toBe(next);
  });
});
