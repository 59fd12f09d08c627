import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { parseAwsSmsNotification } from '../../shared/adapters/providers/aws-sms/inbound.js';
import { awsSmsNotificationsEnvSchema } from '../../shared/config/env.js';
import { ForbiddenError, ValidationError } from '../../shared/domain/errors.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { handleAwsSmsNotification } from '../../shared/usecases/aws-sms-notification.js';
import { inboundDependencies } from '../wiring.js';

/**
 * AWS End User Messaging SMS → SNS topic → this queue: residents' texts (two-way SMS) and the
 * delivery events of the configuration set. Each record's body is the SNS notification (the
 * subscription has no raw message delivery, so the topic ARN can be checked). A notification that
 * is malformed or from a topic not ours can never succeed, so it is logged and dropped; anything
 * else (the table, the send queue) fails the record, and SQS retries it, then dead-letters it.
 */
export const handler = queueFunction({
  envSchema: awsSmsNotificationsEnvSchema,
  dependencies: (env) => ({
    inbound: inboundDependencies(env),
    parse: { defaultCountry: env.DEFAULT_COUNTRY as CountryCode, topicArns: env.AWS_SMS_TOPIC_ARNS },
  }),
  // The SNS envelope is validated by parseAwsSmsNotification, which names each bad field.
  jobSchema: z.unknown(),
  processJob: async (notification, _record, deps) => {
    await handleAwsSmsNotification(deps.inbound, parseAwsSmsNotification(notification, deps.parse));
  },
  discard: (error) => error instanceof ValidationError || error instanceof ForbiddenError,
});
