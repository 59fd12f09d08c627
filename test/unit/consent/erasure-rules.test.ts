import { describe, expect, it } from 'vitest';
import { erasureFootprint, type ResidentTopics } from '../../../shared/consent/erasure-rules.js';

describe('erasureFootprint', () => {
  it.each<[string, ResidentTopics, string[]]>([
    ['a resident with no topic anywhere: none to recount', { subscribed: [], recorded: [], held: [] }, []],
    ['the topics they are in', { subscribed: ['youth', 'parks'], recorded: [], held: [] }, ['parks', 'youth']],
    ['a topic only their consent records name (a LEAVE, a JOIN waiting for YES)', { subscribed: [], recorded: ['bins'], held: [] }, ['bins']],
    ['a topic only an opt-out holds', { subscribed: [], recorded: [], held: ['traffic'] }, ['traffic']],
    [
      'a topic named in several places (two channels, a record and a hold) once, sorted',
      { subscribed: ['parks', 'parks'], recorded: ['parks', 'bins'], held: ['traffic', 'bins'] },
      ['bins', 'parks', 'traffic'],
    ],
  ])('%s', (_case, topics, expected) => {
    // Prepare / Act
    const footprint = erasureFootprint(topics);

    // Assess
    expect(footprint).toEqual({ topicIds: expected });
  });
});
