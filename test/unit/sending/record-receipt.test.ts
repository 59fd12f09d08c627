import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MessageStatus } from '../../../shared/domain/model.js';
import { logger } from '../../../shared/runtime/logger.js';
import type { CoreDependencies } from '../../../shared/ports/dependencies.js';
import { recordReceipt } from '../../../shared/sending/record-receipt.js';
import { aBroadcast, aMessageRecord, aStatusReport } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const BROADCAST_ID = 'bc-0001';
const MESSAGE_ID = 'bc-0001-447700900101';

afterEach(() => {
  vi.restoreAllMocks();
});

async function setUp(status: MessageStatus = 'sent', { reply = false } = {}) {
  const stores = inMemoryStores();
  await stores.broadcasts.create(
    aBroadcast({ id: BROADCAST_ID, status: 'sent', counts: { targeted: 2, sent: 2, delivered: 0, undelivered: 0, failed: 0, skipped: 0 } }),
  );
  await stores.messages.claim(aMessageRecord({ messageId: MESSAGE_ID, broadcastId: reply ? undefined : BROADCAST_ID, status }));
  const clock = new FixedClock('2025-03-01T09:05:00.000Z');
  const deps: CoreDependencies = { stores, clock, ids: new SequentialIds() };
  return { deps, stores };
}

describe('recordReceipt', () => {
  it('marks a sent message delivered, and leaves the counting to the change stream (no write to the counters)', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    const addCounts = vi.spyOn(stores.broadcasts, 'addCounts');

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'delivered' }));

    // Assess
    expect(outcome).toBe('applied');
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'delivered', updatedAt: '2025-03-01T09:05:00.000Z' });
    expect(addCounts).not.toHaveBeenCalled();
  });

  it('finds a repeated receipt stale: the message moves once, so the stream shows one change to count', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    const receipt = aStatusReport({ messageId: MESSAGE_ID, status: 'delivered' });
    await recordReceipt(deps, receipt);

    // Act
    const outcome = await recordReceipt(deps, structuredClone(receipt));

    // Assess
    expect(outcome).toBe('stale');
  });

  it('ignores a "sent" that arrives after "delivered"', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'delivered' }));

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'sent' }));

    // Assess
    expect(outcome).toBe('stale');
    expect((await stores.messages.get(MESSAGE_ID))?.status).toBe('delivered');
  });

  it('looks at, and does not write, a "sent" for a message the sender already marked sent (Twilio calls back "sent" for every message)', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    const applyReceipt = vi.spyOn(stores.messages, 'applyReceipt');
    const statusOf = vi.spyOn(stores.messages, 'statusOf');

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'sent' }));

    // Assess
    expect(outcome).toBe('stale');
    expect(statusOf).toHaveBeenCalledTimes(1);
    expect(applyReceipt).not.toHaveBeenCalled();
  });

  it.each<[MessageStatus, MessageStatus, 'applied' | 'stale', MessageStatus]>([
    ['sending', 'sent', 'applied', 'sent'],
    ['queued', 'sent', 'applied', 'sent'],
    ['sending', 'queued', 'stale', 'sending'],
  ])('stored "%s", receipt "%s": %s, the message left %s (a sender that died between the provider’s answer and recording it)', async (stored, incoming, outcome, after) => {
    // Prepare
    const { deps, stores } = await setUp(stored);

    // Act
    const result = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: incoming }));

    // Assess
    expect(result).toBe(outcome);
    expect((await stores.messages.get(MESSAGE_ID))?.status).toBe(after);
  });

  it.each<MessageStatus>(['queued', 'sent', 'delivered', 'undelivered', 'failed', 'read'])(
    'finds a "%s" receipt for a skipped message stale, and leaves it skipped (it was never sent)',
    async (incoming) => {
      // Prepare
      const stores = inMemoryStores();
      const skip = aMessageRecord({ messageId: MESSAGE_ID, broadcastId: BROADCAST_ID, status: 'skipped', skipReason: 'opted_out' });
      await stores.messages.recordOnce(structuredClone(skip));
      const deps: CoreDependencies = { stores, clock: new FixedClock('2025-03-01T09:05:00.000Z'), ids: new SequentialIds() };

      // Act
      const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: incoming }));

      // Assess
      expect(outcome).toBe('stale');
      expect(await stores.messages.get(MESSAGE_ID)).toEqual(skip);
    },
  );

  it('reports a "sent" for a message it does not know, without a write', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    const applyReceipt = vi.spyOn(stores.messages, 'applyReceipt');

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: 'bc-0001-447700900999', status: 'sent' }));

    // Assess
    expect(outcome).toBe('unknown-message');
    expect(applyReceipt).not.toHaveBeenCalled();
  });

  it('applies "read" after "delivered"', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');
    await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'delivered' }));

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'read' }));

    // Assess
    expect(outcome).toBe('applied');
    expect((await stores.messages.get(MESSAGE_ID))?.status).toBe('read');
  });

  it('keeps the error code of a failed delivery', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');

    // Act
    await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'undelivered', errorCode: '30003' }));

    // Assess
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'undelivered', errorCode: '30003' });
  });

  it('applies a receipt for a reply, which belongs to no broadcast', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent', { reply: true });

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: MESSAGE_ID, status: 'delivered' }));

    // Assess
    expect(outcome).toBe('applied');
    expect((await stores.messages.get(MESSAGE_ID))?.status).toBe('delivered');
  });

  it('reports a receipt for a message it does not know', async () => {
    // Prepare
    const { deps, stores } = await setUp('sent');

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: 'bc-0001-447700900999', status: 'delivered' }));

    // Assess
    expect(outcome).toBe('unknown-message');
    expect(await stores.messages.get('bc-0001-447700900999')).toBeUndefined();
  });

  it('reports a receipt that carries no crier message id', async () => {
    // Prepare
    const { deps } = await setUp('sent');
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);

    // Act
    const outcome = await recordReceipt(deps, aStatusReport({ messageId: undefined }));

    // Assess
    expect(outcome).toBe('unknown-message');
    expect(logger.warn).toHaveBeenCalledWith('receipt without a crier message id', expect.anything());
  });
});
