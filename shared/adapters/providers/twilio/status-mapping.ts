import { z } from 'zod';
import type { MessageStatus } from '../../../domain/model.js';

/** Every status a Twilio Message resource can have (the SDK's `MessageStatus` union). */
export const twilioMessageStatusSchema = z.enum([
  'queued',
  'accepted',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'receiving',
  'received',
  'canceled',
  'partially_delivered',
]);
export type TwilioMessageStatus = z.infer<typeof twilioMessageStatusSchema>;

/**
 * Twilio's message statuses in crier's terms. Receipts are applied by rank
 * (shared/domain/status-precedence.ts), so a status that should never move a message forward is
 * mapped to `queued`, the lowest rank.
 */
export const twilioStatusToMessageStatus: Record<TwilioMessageStatus, MessageStatus> = {
  queued: 'queued',
  // A Messaging Service has the request and is still choosing the sender: not yet queued at a
  // number, but from our side the message is waiting just the same.
  accepted: 'queued',
  // We never ask Twilio to schedule (crier schedules itself), but if a Messaging Service does,
  // the message is still waiting to go.
  scheduled: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  read: 'read',
  // Inbound-only statuses: they never describe an outbound message, so a stray one (say, the
  // inbound webhook pointed at the status URL) gets the lowest rank and can change nothing.
  receiving: 'queued',
  received: 'queued',
  // Only a scheduled message can be canceled; it will never be sent, which for the broadcast's
  // counts is a failure to reach the resident, not a skip we chose.
  canceled: 'failed',
  // Delivery was confirmed for only part of the message. A public notice with parts missing is
  // not one we count as delivered: it shows among the failures to look into.
  partially_delivered: 'undelivered',
};
