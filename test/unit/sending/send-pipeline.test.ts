import { describe, expect, it } from 'vitest';
import { SendPipeline } from '../../../shared/sending/send-pipeline.js';

/** A pipeline that has measured `preparations` (ms), in order. */
function after(preparations: readonly number[]): SendPipeline {
  const pipeline = new SendPipeline(8);
  for (const tookMs of preparations) pipeline.measured(tookMs);
  return pipeline;
}

describe('SendPipeline.leadMs: how long before its slot a preparation starts', () => {
  it.each([
    { case: 'nothing measured yet: a few DynamoDB requests\' worth', preparations: [], leadMs: 50 },
    { case: 'one measurement: it, and twice its half as the deviation (RFC 6298)', preparations: [10], leadMs: 10 + 4 * 5 },
    { case: 'two equal measurements: the deviation shrinks by a quarter', preparations: [10, 10], leadMs: 10 + 4 * 3.75 },
    { case: 'steady and quick: never under 5 ms', preparations: Array.from({ length: 60 }, () => 1), leadMs: 5 },
    { case: 'a stalled store: never more than 250 ms, so the consent read stays fresh', preparations: [400, 900, 2_000], leadMs: 250 },
  ])('$case', ({ preparations, leadMs }) => {
    // Act
    const lead = after(preparations).leadMs;

    // Assess
    expect(lead).toBeCloseTo(leadMs, 9);
  });

  it('gives reads that vary room for their slow ones, not only for their average', () => {
    // Prepare: consent reads of 10 ms and 30 ms in turn (a busy table), averaging 20
    const varying = after(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? 10 : 30)));

    // Act
    const lead = varying.leadMs;

    // Assess: the slow ones (30 ms) start early enough to meet their slot, with room to spare
    expect(lead).toBeGreaterThan(30 + 20);
  });

  it('follows a store that got quicker back down', () => {
    // Prepare
    const slowThenQuick = after([...Array.from({ length: 10 }, () => 40), ...Array.from({ length: 40 }, () => 8)]);

    // Act
    const lead = slowThenQuick.leadMs;

    // Assess
    expect(lead).toBeLessThan(12);
  });
});
