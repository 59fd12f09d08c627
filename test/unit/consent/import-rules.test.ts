import { describe, expect, it } from 'vitest';
import { undoTakesProfile, undoTakesSubscription } from '../../../shared/consent/import-rules.js';

describe('undoTakesSubscription', () => {
  it.each<[string, string | undefined, boolean]>([
    ['one the batch made', 'batch-1', true],
    ['one another batch made', 'batch-2', false],
    ['one a JOIN made (no batch)', undefined, false],
  ])('%s', (_case, madeBy, expected) => {
    // Prepare / Act
    const taken = undoTakesSubscription('batch-1', madeBy);

    // Assess
    expect(taken).toBe(expected);
  });
});

describe('undoTakesProfile', () => {
  it.each<[string, string | undefined, number, boolean]>([
    ['one the batch made, with nothing else of the resident’s left', 'batch-1', 0, true],
    ['one the batch made, with a record of the resident’s own left (a STOP, an AREA)', 'batch-1', 1, false],
    ['one another batch made, nothing else left', 'batch-2', 0, false],
    ['one the resident made (no batch), nothing else left', undefined, 0, false],
  ])('%s', (_case, madeBy, othersLeft, expected) => {
    // Prepare / Act
    const taken = undoTakesProfile('batch-1', madeBy, othersLeft);

    // Assess
    expect(taken).toBe(expected);
  });
});
