import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageStatusSchema, type MessageStatus } from '../../shared/domain/model.js';
import { receiptMoves, recordRank, statusRank, supersedes } from '../../shared/domain/status-precedence.js';

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
  // A skip above every receipt, "read" included: it was never sent.
  it.each<[MessageStatus | 'skipped', number]>([...expectedRank, ['skipped', 5]])('ranks a record %s at %i', (status, rank) => {
    // Prepare / Act
    const actual = recordRank(status);

    // Assess
    expect(actual).toBe(rank);
  });
});

describe('receiptMoves', () => {
  it.each<[MessageStatus, MessageStatus | 'skipped', boolean, string]>([
    ['queued', 'skipped', false, 'a skipped message was never sent: "queued" leaves it'],
    ['sending', 'skipped', false, 'a skipped message was never sent: "sending" leaves it'],
    ['sent', 'skipped', false, 'a skipped message was never sent: "sent" leaves it'],
    ['delivered', 'skipped', false, 'a skipped message was never sent: "delivered" leaves it'],
    ['undelivered', 'skipped', false, 'a skipped message was never sent: "undelivered" leaves it'],
    ['failed', 'skipped', false, 'a skipped message was never sent: "failed" leaves it'],
    ['read', 'skipped', false, 'a skipped message was never sent: not even "read" moves it'],
    ['read', 'delivered', true, 'on a record as between statuses: "read" after "delivered" applies'],
    ['delivered', 'sending', true, 'on a record as between statuses: "delivered" may overtake our own "sent"'],
    ['sent', 'delivered', false, 'on a record as between statuses: a late "sent" never overwrites "delivered"'],
  ])('%s over a record %s: %s (%s)', (incoming, stored, expected) => {
    // Prepare / Act
    const moves = receiptMoves(incoming, stored);

    // Assess
    expect(moves).toBe(expected);
  });

  it('agrees with supersedes on every pair of statuses', () => {
    // Prepare
    const status = fc.constantFrom(...messageStatusSchema.options);

    // Act / Assess
    fc.assert(
      fc.property(status, status, (incoming, stored) => {
        expect(receiptMoves(incoming, stored)).toBe(supersedes(incoming, stored));
      }),
    );
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
