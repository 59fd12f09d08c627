import { z } from 'zod';
import { positiveInt, tableEnvSchema } from './base.js';
import { providerEnvSchema } from './providers.js';
import { timeZoneText } from './broadcast-rules.js';
import { timeZoneSchema } from '../../domain/quiet-hours.js';

/** Receipts only: verified and recorded, nothing is sent. */
export const statusWebhookEnvSchema = tableEnvSchema.extend(providerEnvSchema.shape).extend({
  /** The URL providers call; webhook signatures are checked against it. */
  PUBLIC_BASE_URL: z.url(),
});

/** What acting on residents' texts needs: replies go out through the urgent send queue. */
export const residentTextsShape = {
  SEND_URGENT_QUEUE_URL: z.url(),
  /** Who runs the service, as HELP tells residents. */
  SERVICE_NAME: z.string().min(1).max(60).default('Council alerts'),
  /** Where a resident reaches a person (phone number or web address), as HELP tells them. */
  SERVICE_CONTACT: z.string().min(1).max(80).default('your council'),
  /** Messages from one resident in 5 minutes before replies pause (STOP is always answered). */
  FLOOD_LIMIT: positiveInt.max(1000).default(20),
  /** The deployment's time zone: whose calendar day an inbox acknowledgement's "once a day" is. */
  TIME_ZONE: timeZoneText.pipe(timeZoneSchema),
};

/** Residents' texts: verified, acted on, and answered through the urgent send queue. */
export const webhookEnvSchema = statusWebhookEnvSchema.extend(residentTextsShape);

/** Residents' texts however they arrive, with no provider settings: inbound use cases alone. */
export const residentTextsEnvSchema = tableEnvSchema.extend(residentTextsShape);

const snsTopicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/, 'must be an SNS topic ARN');

/**
 * AWS End User Messaging SMS notifications (two-way texts and delivery events) from the SQS queue
 * subscribed to its SNS topic. No provider settings: nothing here calls a provider or reads the
 * secret; replies go through the urgent send queue like every other reply.
 */
export const awsSmsNotificationsEnvSchema = residentTextsEnvSchema.extend({
  /** The topics whose notifications are accepted, comma-separated; any other is dropped. */
  AWS_SMS_TOPIC_ARNS: z
    .string()
    .transform((value) => value.split(',').map((arn) => arn.trim()).filter((arn) => arn !== ''))
    .pipe(z.array(snsTopicArn).min(1, 'must name at least one SNS topic ARN')),
});

/**
 * Meta's WhatsApp Cloud API webhook (handshake, residents' texts, receipts): what Twilio's inbound
 * webhook has. WHATSAPP_VERIFY_TOKEN and WHATSAPP_APP_SECRET are provider settings (above), optional
 * here because in AWS they come from the provider secret.
 */
export const whatsappWebhookEnvSchema = webhookEnvSchema;

export type StatusWebhookEnv = z.infer<typeof statusWebhookEnvSchema>;
export type WebhookEnv = z.infer<typeof webhookEnvSchema>;
export type ResidentTextsEnv = z.infer<typeof residentTextsEnvSchema>;
export type AwsSmsNotificationsEnv = z.infer<typeof awsSmsNotificationsEnvSchema>;
export type WhatsAppWebhookEnv = z.infer<typeof whatsappWebhookEnvSchema>;
