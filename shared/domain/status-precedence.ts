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
 * The rank of a message record's status. A skip ranks above every receipt, "read" included: a
 * skipped resident was sent nothing, so no provider receipt (a replayed one, one naming the wrong
 * message) may make the record say otherwise, nor count on its broadcast as delivered.
 */
export const SKIPPED_RANK = statusRank.read + 1;

export function recordRank(status: MessageStatus | 'skipped'): number {
  return status === 'skipped' ? SKIPPED_RANK : statusRank[status];
}

/** Whether a receipt's status moves a stored record on (status precedence, a skip never). */
export function receiptMoves(incoming: MessageStatus, stored: MessageStatus | 'skipped'): boolean {
  return statusRank[incoming] > recordRank(stored);
}
