import { describe, expect, it } from 'vitest';
import { functionDefinition } from '../../functions/catalog.js';
import { matchesFilter } from '../../local/stream-filter.js';

const trigger = functionDefinition('countReceipts').trigger;
const filter = trigger.kind === 'tableStream' ? trigger.filter : {};

const record = (eventName: string, newImage: Record<string, unknown> | undefined) => ({ eventName, dynamodb: { ...(newImage ? { NewImage: newImage } : {}) } });

describe('matchesFilter, with the receipt counter\'s own pattern', () => {
  it.each<[string, unknown, boolean]>([
    ['a change to a broadcast message', record('MODIFY', { type: { S: 'message' }, broadcastId: { S: 'bc-1' } }), true],
    ['a change to a reply (no broadcast)', record('MODIFY', { type: { S: 'message' } }), false],
    ['a new broadcast message (a claim)', record('INSERT', { type: { S: 'message' }, broadcastId: { S: 'bc-1' } }), false],
    ['a removed message', record('REMOVE', undefined), false],
    ['a change to another item', record('MODIFY', { type: { S: 'broadcastCounts' }, broadcastId: { S: 'bc-1' } }), false],
    ['not a record at all', 'MODIFY', false],
  ])('%s: %s', (_case, value, expected) => {
    // Prepare
    const pattern = filter;

    // Act
    const matches = matchesFilter(pattern, value);

    // Assess
    expect(matches).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['exists: false, absent', {}, true],
    ['exists: false, present', { field: 'x' }, false],
  ])('%s', (_case, value, expected) => {
    // Prepare
    const pattern = { field: [{ exists: false }] };

    // Act
    const matches = matchesFilter(pattern, value);

    // Assess
    expect(matches).toBe(expected);
  });
});
