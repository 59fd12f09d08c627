import { z } from 'zod';
import type { MessageStatus } from '../../../domain/model.js';

/**
 * The SMS event types AWS End User Messaging SMS sends to a configuration set's event destination
 * ("Event types for SMS, MMS, and voice"). Voice and MMS events are not crier's and are skipped.
 */
export const awsSmsEventTypeSchema = z.enum([
  'TEXT_QUEUED',
  'TEXT_PENDING',
  'TEXT_SUCCESSFUL',
  'TEXT_DELIVERED',
  'TEXT_BLOCKED',
  'TEXT_TTL_EXPIRED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_UNREACHABLE',
  'TEXT_SPAM',
  'TEXT_UNKNOWN',
  'TEXT_PROTECT_BLOCKED',
]);
export type AwsSmsEventType = z.infer<typeof awsSmsEventTypeSchema>;

/**
 * AWS's SMS events in crier's terms. Receipts are applied by rank
 * (shared/domain/status-precedence.ts), so events that arrive out of order change nothing.
 * `failed`: AWS never handed the message on; `undelivered`: the carrier or handset did not take it.
 */
export const awsSmsEventToMessageStatus: Record<AwsSmsEventType, MessageStatus> = {
  // Waiting at AWS to go out.
  TEXT_QUEUED: 'queued',
  // On its way through the carrier network: the equivalent of Twilio's `sent`.
  TEXT_PENDING: 'sent',
  // Accepted by the resident's carrier. AWS notes that, depending on the country, this is the
  // last event there is (TEXT_SUCCESSFUL and TEXT_DELIVERED are used interchangeably), so it
  // counts as delivered, as Notify counts a carrier's acceptance where no handset receipt exists.
  TEXT_SUCCESSFUL: 'delivered',
  TEXT_DELIVERED: 'delivered',
  // The handset or its carrier refused or could not be reached.
  TEXT_BLOCKED: 'undelivered',
  TEXT_TTL_EXPIRED: 'undelivered',
  TEXT_CARRIER_UNREACHABLE: 'undelivered',
  TEXT_CARRIER_BLOCKED: 'undelivered',
  TEXT_UNREACHABLE: 'undelivered',
  TEXT_SPAM: 'undelivered',
  // AWS could not tell what happened (also sent when no final carrier event came in 72 hours).
  TEXT_UNKNOWN: 'undelivered',
  // Never sent: the destination is not a valid number, or the body could not be sent.
  TEXT_INVALID: 'failed',
  TEXT_INVALID_MESSAGE: 'failed',
  // Never sent: the deployment's own protect configuration blocked it.
  TEXT_PROTECT_BLOCKED: 'failed',
};
