import { describe, expect, it } from 'vitest';
import { bulkLaneWidth, messagesPerSecondPerFunction, urgentLaneWidth } from '../../../shared/pacing/lane-widths.js';

describe('messagesPerSecondPerFunction: in proportion to a function\'s memory (its share of a core)', () => {
  it.each([
    { memoryMb: 256, perSecond: 20 },
    { memoryMb: 512, perSecond: 40 },
    { memoryMb: 1024, perSecond: 80 },
  ])('$memoryMb MB: $perSecond a second', ({ memoryMb, perSecond }) => {
    // Act
    const carried = messagesPerSecondPerFunction(memoryMb);

    // Assess
    expect(carried).toBe(perSecond);
  });
});

describe('bulkLaneWidth: enough functions for each sender\'s rate, two at least', () => {
  it.each([
    { case: 'no sender: the smallest Lambda allows', rates: [], memoryMb: 512, width: 2 },
    { case: 'one sender at 10 a second', rates: [10], memoryMb: 512, width: 2 },
    { case: 'one sender at 100 a second', rates: [100], memoryMb: 512, width: 3 },
    { case: 'one sender at 100 a second, 256 MB functions', rates: [100], memoryMb: 256, width: 5 },
    { case: 'two senders at 20 a second: one function each, no spare waiting on them', rates: [20, 20], memoryMb: 512, width: 2 },
    { case: 'two senders at 20 a second, 256 MB functions: still one each', rates: [20, 20], memoryMb: 256, width: 2 },
    { case: 'two senders at 40 a second, 256 MB functions: two each', rates: [40, 40], memoryMb: 256, width: 4 },
    { case: 'an unmetered sender counts as one function\'s worth', rates: [undefined], memoryMb: 512, width: 2 },
    { case: 'three senders', rates: [10, 80, undefined], memoryMb: 512, width: 4 },
    { case: 'never more than 50', rates: [10_000], memoryMb: 512, width: 50 },
  ])('$case: $width', ({ rates, memoryMb, width }) => {
    // Act
    const lane = bulkLaneWidth(rates, memoryMb);

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
