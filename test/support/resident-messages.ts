import type { Stores } from '../../shared/ports/stores.js';
import { broadcastMessageId } from '../../shared/sending/send-message.js';
import { aBroadcast, aMessageRecord, aPhone, anInboxEntry, inboundEvidence } from './builders.js';

/**
 * A resident of topic traffic who was sent a broadcast, texted JOIN (and got crier's automatic
 * reply), and wrote a question to the traffic inbox that staff answered; and another resident
 * the same broadcast reached, whose message must never show on the first one's page.
 */
export async function residentWithMessages(stores: Stores, phone = aPhone(1), other = aPhone(2)) {
  const broadcast = aBroadcast({ id: 'b-lights', topics: ['traffic'], createdAt: '2025-03-04T08:00:00.000Z' });
  await stores.broadcasts.create(broadcast);
  await stores.subscribers.subscribe(phone, 'sms', 'traffic', '2025-03-04T07:00:00.000Z', inboundEvidence({ providerMessageId: 'SMjoin' }));
  await stores.inbound.begin('sandbox', 'SMjoin', { from: phone, channel: 'sms', body: 'JOIN TRAFFIC', at: '2025-03-04T07:00:00.000Z' });
  await stores.inbound.finish('sandbox', 'SMjoin', 'reply-sandbox-SMjoin');
  await stores.inbound.begin('sandbox', 'SMask', { from: phone, channel: 'sms', body: 'Is Queen St open?', at: '2025-03-04T08:30:00.000Z' });
  await stores.inbound.finish('sandbox', 'SMask', undefined);
  for (const record of [
    aMessageRecord({ messageId: broadcastMessageId(broadcast.id, phone), broadcastId: broadcast.id, to: phone, status: 'delivered', createdAt: '2025-03-04T08:01:00.000Z' }),
    aMessageRecord({ messageId: broadcastMessageId(broadcast.id, other), broadcastId: broadcast.id, to: other, status: 'delivered', createdAt: '2025-03-04T08:01:00.000Z' }),
    aMessageRecord({ messageId: 'reply-sandbox-SMjoin', broadcastId: undefined, to: phone, status: 'sent', createdAt: '2025-03-04T07:00:01.000Z' }),
    aMessageRecord({ messageId: 'inbox-reply-1', broadcastId: undefined, to: phone, status: 'sent', createdAt: '2025-03-04T09:00:00.000Z' }),
  ]) {
    await stores.messages.recordOnce(record);
  }
  const entry = await stores.inbox.add({ ...anInboxEntry({ provider: 'sandbox', providerMessageId: 'SMask', from: phone, body: 'Is Queen St open?', receivedAt: '2025-03-04T08:30:00.000Z' }) });
  await stores.inbox.addReply(entry.id, { messageId: 'inbox-reply-1', body: 'Yes, it reopened at 9.', at: '2025-03-04T09:00:00.000Z', by: 'staff-1' });
  return { broadcast, entry };
}
