import { describe, expect, it } from 'vitest';
import { bulkLaneWidth, urgentLaneWidth } from '../../../shared/pacing/lane-widths.js';

describe('bulkLaneWidth: enough functions for each sender\'s rate, two at least', () => {
  it.each([
    { case: 'no sender: the smallest Lambda allows', rates: [], width: 2 },
    { case: 'one sender at 10 a second', rates: [10], width: 2 },
    { case: 'one sender at 100 a second', rates: [100], width: 3 },
    { case: 'two senders at 20 a second: one function each, no spare waiting on them', rates: [20, 20], width: 2 },
    { case: 'an unmetered sender counts as one function\'s worth', rates: [undefined], width: 2 },
    { case: 'three senders', rates: [10, 80, undefined], width: 4 },
    { case: 'never more than 50', rates: [10_000], width: 50 },
  ])('$case: $width', ({ rates, width }) => {
    // Act
    const lane = bulkLaneWidth(rates);

    // Assess
    expect(lane).toBe(width);
  });
});

describe('urgentLaneWidth: twice the bulk lane, 20 at least, 100 at most', () => {
  it.each([
    { bulk: 2, width: 20 },
    { bulk: 12, width: 24 },
    { bulk: 50, width: 100 },
  ])('bulk $bulk: urgent $width', ({ bulk, width }) => {
    // Act
    const lane = urgentLaneWidth(bulk);

    // Assess
    expect(lane).toBe(width);
  });
});
