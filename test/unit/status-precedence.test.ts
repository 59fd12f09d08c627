import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageStatusSchema, type MessageStatus } from '../../shared/domain/model.js';
import { recordRank, statusRank, supersedes } from '../../shared/domain/status-precedence.js';

/** How far along each status is, written out independently of the table. */
const expectedRank: ReadonlyArray<[MessageStatus, number]> = [
  ['queued', 0],
  ['sending', 1],
  ['sent', 2],
  ['delivered', 3],
  ['undelivered', 3],
  ['failed', 3],
  ['read', 4],
];

describe('statusRank', () => {
  it('ranks exactly the statuses a message can have', () => {
    // Prepare
    const statuses = [...messageStatusSchema.options].sort();

    // Act
    const ranked = Object.keys(statusRank).sort();

    // Assess
    expect(ranked).toEqual(statuses);
    expect(expectedRank.map(([status]) => status).sort()).toEqual(statuses);
  });

  it.each(expectedRank)('ranks %s at %i', (status, rank) => {
    // Prepare / Act
    const actual = statusRank[status];

    // Assess
    expect(actual).toBe(rank);
  });
});

describe('recordRank', () => {
  it.each<[MessageStatus | 'skipped', number]>([...expectedRank, ['skipped', 3]])('ranks a record %s at %i', (status, rank) => {
    // Prepare / Act
    const actual = recordRank(status);

    // Assess
    expect(actual).toBe(rank);
  });
});

describe('supersedes', () => {
  it.each<[MessageStatus, MessageStatus, boolean, string]>([
    ['sent', 'delivered', false, 'a late "sent" never overwrites "delivered"'],
    ['sent', 'read', false, 'a late "sent" never overwrites "read"'],
    ['delivered', 'read', false, 'a late "delivered" never overwrites "read"'],
    ['read', 'delivered', true, '"read" after "delivered" applies (WhatsApp)'],
    ['delivered', 'sent', true, '"delivered" after "sent" applies'],
    ['delivered', 'sending', true, '"delivered" may overtake our own "sent"'],
    ['sent', 'sending', true, '"sent" after the claim applies'],
    ['sending', 'queued', true, 'the claim after "queued" applies'],
    ['queued', 'sending', false, '"queued" never moves a message back'],
    ['delivered', 'failed', false, 'one final outcome never replaces another'],
    ['failed', 'delivered', false, '"failed" never replaces "delivered"'],
    ['undelivered', 'delivered', false, '"undelivered" never replaces "delivered"'],
    ['undelivered', 'sent', true, '"undelivered" after "sent" applies'],
    ['delivered', 'delivered', false, 'a repeated receipt changes nothing'],
    ['read', 'read', false, 'a repeated read receipt changes nothing'],
  ])('%s over %s: %s (%s)', (incoming, stored, expected) => {
    // Prepare / Act
    const applies = supersedes(incoming, stored);

    // Assess
    expect(applies).toBe(expected);
  });

  it('is a strict order: never both ways, never over itself', () => {
    // Prepare
    const status = fc.constantFrom(...messageStatusSchema.options);

    // Act / Assess
    fc.assert(
      fc.property(status, status, (a, b) => {
        expect(supersedes(a, a)).toBe(false);
        expect(supersedes(a, b) && supersedes(b, a)).toBe(false);
      }),
    );
  });
});
