import type { AwsSmsNotification } from '../adapters/providers/aws-sms/inbound.js';
import { logger } from '../runtime/logger.js';
import type { InboundDependencies } from './dependencies.js';
import { handleInboundText, type InboundOutcome } from './handle-inbound.js';
import { recordReceipt, type ReceiptOutcome } from './record-receipt.js';

export type AwsSmsNotificationOutcome =
  | { kind: 'inbound'; outcome: InboundOutcome }
  | { kind: 'receipt'; outcome: ReceiptOutcome }
  | { kind: 'skipped' };

/**
 * One parsed notification from AWS End User Messaging SMS (see aws-sms/inbound.ts): a resident's
 * text goes to the keyword router exactly as a Twilio or WhatsApp text does, an event to the
 * receipts. Both are idempotent (the inbound log by AWS's inboundMessageId, receipts by status
 * precedence), so SNS's or SQS's redeliveries do nothing twice. A failure is thrown, so the
 * trigger retries the notification (and, from a queue, ends in its dead-letter queue).
 */
export async function handleAwsSmsNotification(
  deps: InboundDependencies,
  notification: AwsSmsNotification,
): Promise<AwsSmsNotificationOutcome> {
  switch (notification.kind) {
    case 'inbound':
      return { kind: 'inbound', outcome: await handleInboundText(deps, notification.inbound) };
    case 'receipt':
      return { kind: 'receipt', outcome: await recordReceipt(deps, notification.receipt) };
    case 'skipped':
      logger.info('AWS SMS notification skipped', { snsMessageId: notification.snsMessageId, reason: notification.reason });
      return { kind: 'skipped' };
  }
}
