import { ConfigurationError } from '../../../domain/errors.js';
import type { ProviderWebhooks, WebhookBatch, WebhookRequest } from '../../../ports/provider-webhooks.js';
import { emptyWebhookBatch, type WebhookContext } from '../webhook-context.js';
import { parseAwsSmsNotification, verifySnsTopic } from './inbound.js';

/**
 * AWS End User Messaging SMS "webhooks": SNS notifications, delivered through the SQS queue
 * subscribed to the deployment's topics, one notification a request (`rawBody` is the record's
 * body, `publicUrl` the queue's ARN). There is no signature to check: IAM lets only AWS publish to
 * the topics and only the topics send to the queue, and verify refuses any other topic.
 */
export function awsSmsWebhooks(context: WebhookContext): ProviderWebhooks {
  return {
    source: 'aws-sms',
    async verify(request: WebhookRequest): Promise<void> {
      const topicArns = context.awsSmsTopicArns;
      if (!topicArns || topicArns.length === 0) {
        throw new ConfigurationError('AWS_SMS_TOPIC_ARNS is not set, so AWS SMS notifications cannot be checked');
      }
      verifySnsTopic(request.rawBody, topicArns);
    },
    parse(request: WebhookRequest): WebhookBatch {
      const notification = parseAwsSmsNotification(request.rawBody, { defaultCountry: context.defaultCountry });
      const batch = emptyWebhookBatch();
      switch (notification.kind) {
        case 'inbound':
          batch.inbound.push(notification.inbound);
          break;
        case 'receipt':
          batch.receipts.push(notification.receipt);
          break;
        case 'skipped':
          batch.skipped.push({ path: 'Message', id: notification.id, kind: notification.item, reason: notification.reason });
          break;
      }
      return batch;
    },
  };
}
