import { describe, expect, it } from 'vitest';
import { messageImageOf } from '../../shared/adapters/dynamo/message-stream-image.js';

const entry = (counted?: string) => ({ M: { status: { S: 'delivered' }, at: { S: '2025-03-01T09:00:00.000Z' }, ...(counted ? { counted: { S: counted } } : {}) } });

describe('messageImageOf: a message as the change stream shows it', () => {
  it.each<[string, Record<string, unknown> | undefined, ReturnType<typeof messageImageOf>]>([
    [
      'a broadcast message whose newest receipt the stream counts',
      { type: { S: 'message' }, status: { S: 'delivered' }, broadcastId: { S: 'bc-1' }, receipts: { L: [entry('stream'), entry('stream')] } },
      { status: 'delivered', receipts: 2, lastReceiptCountedOnStream: true, broadcastId: 'bc-1' },
    ],
    [
      'a newest receipt from code that counted it itself (an upgrade under way)',
      { type: { S: 'message' }, status: { S: 'delivered' }, broadcastId: { S: 'bc-1' }, receipts: { L: [entry('stream'), entry()] } },
      { status: 'delivered', receipts: 2, lastReceiptCountedOnStream: false, broadcastId: 'bc-1' },
    ],
    ['a reply without receipts', { type: { S: 'message' }, status: { S: 'sent' } }, { status: 'sent', receipts: 0, lastReceiptCountedOnStream: false }],
    ['another item', { type: { S: 'broadcastCounts' }, status: { S: 'sent' } }, undefined],
    ['a status crier does not know', { type: { S: 'message' }, status: { S: 'lost' } }, undefined],
    ['no image (an insert has no old one)', undefined, undefined],
  ])('%s', (_case, image, expected) => {
    // Prepare
    const streamed = image;

    // Act
    const parsed = messageImageOf(streamed);

    // Assess
    expect(parsed).toEqual(expected);
  });
});
