import { z } from 'zod';
import type { MessageStatus } from '../../../domain/model.js';

/**
 * The statuses Meta's status webhook reports for a message a business sent
 * (WhatsApp Cloud API, "Status messages webhook reference").
 */
export const metaStatusSchema = z.enum(['sent', 'delivered', 'read', 'failed']);
export type MetaStatus = z.infer<typeof metaStatusSchema>;

/**
 * Meta's statuses in crier's terms. Receipts are applied by rank
 * (shared/domain/status-precedence.ts), so the order they arrive in does not matter: Meta may send
 * `read` without a `delivered` before it (a message read as it arrives), and `read` outranks
 * `delivered` and counts as delivered on the broadcast.
 */
export const metaStatusToMessageStatus: Record<MetaStatus, MessageStatus> = {
  // Meta has the message and is delivering it: the equivalent of Twilio's `sent`.
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // Meta could not send or deliver it; `errors[0].code` says why (131047: the 24-hour window).
  failed: 'failed',
};
