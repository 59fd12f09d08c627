import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { noProviderSettings } from '../../shared/adapters/providers/settings-source.js';
import { webhookRegistry } from '../../shared/adapters/providers/webhook-registry.js';
import { awsSmsNotificationsEnvSchema } from '../../shared/config/env.js';
import { ForbiddenError, ValidationError } from '../../shared/domain/errors.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { receiveWebhook } from '../../shared/consent/receive-webhook.js';
import { queuedWebhookRequest } from '../webhooks.js';
import { inboundDependencies } from '../wiring.js';

/**
 * AWS End User Messaging SMS → SNS topic → this queue: residents' texts (two-way SMS) and the
 * delivery events of the configuration set. Each record's body is the SNS notification (the
 * subscription has no raw message delivery, so the topic ARN can be checked), taken through the
 * provider's webhooks like any provider's. What is inside a readable notification and cannot be
 * acted on (an event type crier does not record, a malformed message, a sender that is not a valid
 * number) is recorded in the inbound log with its reason, and the record succeeds. A record that is
 * not an SNS notification at all, or comes from a topic not ours, can never succeed, so it is logged
 * and dropped; anything else (the table, the send queue) fails the record, and SQS retries it, then
 * dead-letters it.
 */
export const handler = queueFunction({
  envSchema: awsSmsNotificationsEnvSchema,
  dependencies: (env) => ({
    inbound: inboundDependencies(env),
    // No provider settings: the topics are the deployment's own, and nothing here calls a provider.
    webhooks: webhookRegistry['aws-sms']({
      settings: noProviderSettings,
      defaultCountry: env.DEFAULT_COUNTRY as CountryCode,
      awsSmsTopicArns: env.AWS_SMS_TOPIC_ARNS,
    }),
  }),
  // Only "is it JSON" here; the provider's webhooks read the record's body as sent, naming each bad field.
  jobSchema: z.unknown(),
  processJob: async (_notification, record, deps) => {
    await receiveWebhook(deps.inbound, deps.webhooks, queuedWebhookRequest(record));
  },
  discard: (error) => error instanceof ValidationError || error instanceof ForbiddenError,
});
