import { describe, expect, it } from 'vitest';
import statusDelivered from '../../../../events/whatsapp-cloud/status-delivered.json';
import type { MessageStatus } from '../../../domain/model.js';
import { metaStatusSchema, metaStatusToMessageStatus, type MetaStatus } from './status-mapping.js';
import { parseWhatsAppWebhook } from './webhooks.js';

/** The expected reading of every Meta status, written out independently of the table. */
const expected: ReadonlyArray<[MetaStatus, MessageStatus]> = [
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'read'],
  ['failed', 'failed'],
];

describe('metaStatusToMessageStatus', () => {
  it('covers exactly the statuses of the schema, and this test covers them all', () => {
    // Prepare
    const declared = metaStatusSchema.options;

    // Act
    const mapped = Object.keys(metaStatusToMessageStatus);

    // Assess
    expect(mapped.sort()).toEqual([...declared].sort());
    expect(expected.map(([status]) => status).sort()).toEqual([...declared].sort());
  });

  it.each(expected)('a status webhook with status=%s records the message as %s', (metaStatus, messageStatus) => {
    // Prepare
    const payload = structuredClone(statusDelivered);
    const [status] = payload.entry[0]!.changes[0]!.value.statuses;
    status!.status = metaStatus;

    // Act
    const batch = parseWhatsAppWebhook(JSON.stringify(payload), 'GB');

    // Assess
    expect(metaStatusToMessageStatus[metaStatus]).toBe(messageStatus);
    expect(batch.receipts.map((report) => report.status)).toEqual([messageStatus]);
  });
});
