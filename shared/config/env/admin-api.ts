import { z } from 'zod';
import { timeZoneSchema } from '../../domain/quiet-hours.js';
import { nonEmpty, tableEnvSchema } from './base.js';
import { broadcastTimingEnvSchema, departmentLimitsEnvSchema, priceTableEnvSchema, timeZoneText } from './broadcast-rules.js';
import { failoverEnvSchema, providerEnvSchema, sendersEnvSchema, sendRatesEnvSchema } from './providers.js';

/**
 * The admin routes. They take the caller from the authorizer's context (and check the key
 * themselves only when called without one), so they never read the bootstrap key's secret.
 */
export const adminEnvSchema = tableEnvSchema;

/** In AWS: the generated operator key, so a fresh deployment can be administered at all. */
const bootstrapKeyShape = { BOOTSTRAP_KEY_SECRET_ARN: nonEmpty.optional() };

/**
 * Keys and the audit log. Rotating the bootstrap key writes a new value: to its secret in AWS (the
 * function may put a value, never read one), locally to the file that keeps it.
 */
export const keysEnvSchema = adminEnvSchema.extend(bootstrapKeyShape).extend({
  /** Local stack only: where the operator key is kept (DATA_DIR/operator-key). */
  OPERATOR_KEY_FILE: nonEmpty.optional(),
});

/**
 * The key numbers are hashed with (erasure tombstones, the audit log's name for an erased resident):
 * in AWS a generated Secrets Manager secret, read by the function that erases alone; on the local
 * stack the key itself, kept in DATA_DIR/hash-key.
 */
export const phoneHashEnvSchema = z.object({
  PHONE_HASH_KEY_SECRET_ARN: nonEmpty.optional(),
  PHONE_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
});

/** Departments' inboxes (and the wording of replies): a reply from the inbox goes out on the urgent lane. */
/** The inbox's days (its filters) are the deployment's, as the console's are. */
export const residentsApiEnvSchema = adminEnvSchema.extend({ SEND_URGENT_QUEUE_URL: z.url(), TIME_ZONE: timeZoneText.pipe(timeZoneSchema) });

/** Residents' records: reading one, importing, and erasure, which hashes the erased number with the key. */
export const subscribersEnvSchema = adminEnvSchema.extend(phoneHashEnvSchema.shape);

/**
 * Showing and redriving dead letters: each work queue's URL (where a redrive puts jobs back) and
 * its dead-letter queue's. Work queues keep the names the other functions give them, as the local
 * stack runs every function in one process and one environment.
 */
export const deadLettersEnvSchema = adminEnvSchema.extend({
  FAN_OUT_QUEUE_URL: z.url(),
  FAN_OUT_DLQ_URL: z.url(),
  SEND_URGENT_QUEUE_URL: z.url(),
  SEND_URGENT_DLQ_URL: z.url(),
  SEND_BULK_QUEUE_URL: z.url(),
  SEND_BULK_DLQ_URL: z.url(),
  AWS_SMS_NOTIFICATIONS_QUEUE_URL: z.url(),
  AWS_SMS_NOTIFICATIONS_DLQ_URL: z.url(),
});

/**
 * The admin API's Lambda authorizer: what an admin function needs to check a key, and no more
 * (it only reads the table).
 */
export const authorizerEnvSchema = adminEnvSchema.extend(bootstrapKeyShape);

/**
 * The broadcasts API. The provider lists, sender identities and provider settings are there for
 * the preview only: a broadcast sent from a one-way sender ID ends "Text STOP to …", and the
 * preview shows what residents will read (and count its segments).
 */
export const broadcastsEnvSchema = adminEnvSchema
  .extend({ FAN_OUT_QUEUE_URL: z.url() })
  .extend(broadcastTimingEnvSchema.shape)
  .extend(departmentLimitsEnvSchema.shape)
  .extend(priceTableEnvSchema.shape)
  .extend(providerEnvSchema.shape)
  .extend(sendRatesEnvSchema.shape)
  .extend(sendersEnvSchema.shape);

/**
 * The providers admin view: each channel's list, the failover thresholds its health is read
 * against, and what the sender identities are resolved from as the senders resolve them (SENDERS,
 * SEND_RATES, and the providers' from settings, which in AWS are in the provider secret).
 */
export const providersApiEnvSchema = adminEnvSchema
  .extend(providerEnvSchema.shape)
  .extend(failoverEnvSchema.shape)
  .extend(sendRatesEnvSchema.shape)
  .extend(sendersEnvSchema.shape);

export type AdminEnv = z.infer<typeof adminEnvSchema>;
export type ResidentsApiEnv = z.infer<typeof residentsApiEnvSchema>;
export type PhoneHashEnv = z.infer<typeof phoneHashEnvSchema>;
export type SubscribersEnv = z.infer<typeof subscribersEnvSchema>;
export type KeysEnv = z.infer<typeof keysEnvSchema>;
export type DeadLettersEnv = z.infer<typeof deadLettersEnvSchema>;
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
export type BroadcastsEnv = z.infer<typeof broadcastsEnvSchema>;
export type ProvidersApiEnv = z.infer<typeof providersApiEnvSchema>;
