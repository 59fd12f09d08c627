import { describe, expect, it } from 'vitest';
import { heldForSeconds, sendDeadlineOf } from '../../../shared/pacing/run-limits.js';

const NOW = Date.parse('2025-03-01T09:00:00.000Z');

describe('heldForSeconds: how long a held job stays hidden in its queue', () => {
  it.each([
    { case: 'whole seconds', until: NOW + 8 * 3_600_000, seconds: 8 * 3600 },
    { case: 'a part second rounds up', until: NOW + 1_500, seconds: 2 },
    { case: 'already over: a second', until: NOW - 5_000, seconds: 1 },
    { case: 'never past SQS\'s longest visibility timeout', until: NOW + 13 * 3_600_000, seconds: 12 * 3600 - 60 },
  ])('$case: $seconds s', ({ until, seconds }) => {
    // Act
    const held = heldForSeconds(new Date(until), NOW);

    // Assess
    expect(held).toBe(seconds);
  });
});

describe('sendDeadlineOf: a run stops starting sends 10 s before its function is stopped', () => {
  it.each([
    { deadline: NOW + 60_000, sendDeadline: NOW + 50_000 },
    { deadline: Number.POSITIVE_INFINITY, sendDeadline: Number.POSITIVE_INFINITY },
  ])('$deadline: $sendDeadline', ({ deadline, sendDeadline }) => {
    // Act
    const by = sendDeadlineOf(deadline);

    // Assess
    expect(by).toBe(sendDeadline);
  });
});
