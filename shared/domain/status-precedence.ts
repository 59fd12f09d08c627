import type { MessageStatus } from './model.js';

/**
 * How far along a message is. A receipt applies only when it ranks above the stored status, so
 * an out-of-order "sent" never overwrites "delivered". Final outcomes share a rank: once a
 * message is delivered or failed, only "read" (a WhatsApp read receipt) can follow.
 */
export const statusRank: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  read: 4,
};

export function supersedes(incoming: MessageStatus, stored: MessageStatus): boolean {
  return statusRank[incoming] > statusRank[stored];
}

/**
 * The rank of a message record's status: a skip ranks with the final outcomes, so no receipt but
 * a read one would move it (and a skipped message has no provider id for a receipt to name).
 */
export function recordRank(status: MessageStatus | 'skipped'): number {
  return status === 'skipped' ? statusRank.failed : statusRank[status];
}
