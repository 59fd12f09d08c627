import { describe, expect, it } from 'vitest';
import type { MessageStatus } from '../../../shared/domain/model.js';
import { compareSequences, receiptDelta, tallyByBroadcast, uncounted, type MessageChange, type MessageImage } from '../../../shared/broadcasts/receipt-counts.js';

const image = (status: MessageStatus, receipts: number, broadcastId: string | null = 'bc-1', lastReceiptCountedOnStream = true): MessageImage => ({
  status,
  receipts,
  lastReceiptCountedOnStream,
  ...(broadcastId ? { broadcastId } : {}),
});

const change = (sequence: string, before: MessageImage | undefined, after: MessageImage | undefined, shard = 'shard-1'): MessageChange => ({ shard, sequence, before, after });

describe('receiptDelta: what one change to a message adds to its broadcast', () => {
  it.each<[string, MessageImage | undefined, MessageImage | undefined, ReturnType<typeof receiptDelta>]>([
    ['a delivered receipt on a sent message', image('sent', 1), image('delivered', 2), { delivered: 1 }],
    ['a read receipt on a sent message', image('sent', 1), image('read', 2), { delivered: 1 }],
    ['a delivered receipt on a message still sending (its sender died)', image('sending', 0), image('delivered', 1), { delivered: 1 }],
    ['an undelivered receipt', image('sent', 1), image('undelivered', 2), { undelivered: 1 }],
    ['a failed receipt', image('sent', 1), image('failed', 2), { undelivered: 1 }],
    ['a sent receipt', image('sending', 0), image('sent', 1), undefined],
    ['a read receipt after delivered', image('delivered', 2), image('read', 3), undefined],
    ['the sender marking a send failed (no receipt)', image('sending', 0), image('failed', 0), undefined],
    ['the sender marking sent after a receipt overtook it', image('delivered', 1), image('delivered', 1), undefined],
    ['a receipt for a reply (no broadcast)', image('sent', 1, null), image('delivered', 2, null), undefined],
    ['a claim (a new message)', undefined, image('sending', 0), undefined],
    ['an erasure (the message removed)', image('delivered', 2), undefined, undefined],
    ['a receipt written during an upgrade by code that counted it itself', image('sent', 1), image('delivered', 2, 'bc-1', false), undefined],
  ])('%s', (_case, before, after, expected) => {
    // Prepare
    const write = { before, after };

    // Act
    const delta = receiptDelta(write);

    // Assess
    expect(delta).toEqual(expected);
  });
});

describe('tallyByBroadcast and uncounted', () => {
  it('groups the changes that count by broadcast and shard, in stream order', () => {
    // Prepare
    const changes = [
      change('30', image('sent', 1, 'bc-1'), image('delivered', 2, 'bc-1')),
      change('10', image('sent', 1, 'bc-1'), image('undelivered', 2, 'bc-1')),
      change('20', image('sent', 1, 'bc-2'), image('delivered', 2, 'bc-2')),
      change('15', image('sending', 0, 'bc-2'), image('sent', 1, 'bc-2')),
      change('5', image('sent', 1, 'bc-1'), image('delivered', 2, 'bc-1'), 'shard-2'),
    ];

    // Act
    const tallies = tallyByBroadcast(changes);

    // Assess
    expect(tallies).toEqual([
      { broadcastId: 'bc-1', shard: 'shard-1', changes: [{ sequence: '10', delta: { undelivered: 1 } }, { sequence: '30', delta: { delivered: 1 } }] },
      { broadcastId: 'bc-2', shard: 'shard-1', changes: [{ sequence: '20', delta: { delivered: 1 } }] },
      { broadcastId: 'bc-1', shard: 'shard-2', changes: [{ sequence: '5', delta: { delivered: 1 } }] },
    ]);
  });

  it.each<[string, string | undefined, ReturnType<typeof uncounted>]>([
    ['nothing counted yet: all of it', undefined, { delta: { delivered: 2, undelivered: 1 }, upTo: '300' }],
    ['counted up to the first: the rest', '100', { delta: { delivered: 1, undelivered: 1 }, upTo: '300' }],
    ['counted up to between two: the later', '250', { delta: { delivered: 1 }, upTo: '300' }],
    ['counted up to the last: nothing', '300', undefined],
    ['counted past all of it (handed out again late): nothing', '900', undefined],
  ])('%s', (_case, countedUpTo, expected) => {
    // Prepare
    const tally = {
      broadcastId: 'bc-1',
      shard: 'shard-1',
      changes: [
        { sequence: '100', delta: { delivered: 1 } },
        { sequence: '200', delta: { undelivered: 1 } },
        { sequence: '300', delta: { delivered: 1 } },
      ],
    };

    // Act
    const next = uncounted(tally, countedUpTo);

    // Assess
    expect(next).toEqual(expected);
  });

  it.each([
    ['9', '10', -1],
    ['100000000000000000000000000000000000001', '99999999999999999999999999999999999999', 1],
    ['42', '42', 0],
  ])('compares %s with %s as numbers, not text: %i', (a, b, expected) => {
    // Prepare
    const pair = [a, b] as const;

    // Act
    const order = compareSequences(...pair);

    // Assess
    expect(order).toBe(expected);
  });
});
