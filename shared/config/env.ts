import { z } from 'zod';
import { quietHoursSchema, timeZoneSchema } from '../domain/quiet-hours.js';
import { defaultPriceTable, priceTableSchema } from '../domain/sms-preview.js';
import { sendRatesSchema } from '../domain/send-rates.js';
import { sendersSchema } from '../domain/sender-identity.js';
import { metricsNamespace } from '../platform/metrics.js';
import { providerListSchema } from './provider-list.js';
import { retentionEnvShape } from '../retention/periods.js';

/**
 * Environment schemas. Every function validates its environment once, at the first invocation,
 * with one of these (see `shared/runtime/middleware/environment.ts`), and the CDK construct's
 * `environment` prop is typed from the same schema, so a missing variable fails to compile.
 */

const nonEmpty = z.string().min(1);

/** What a variable's schema reads it as when it is unset: its default, written once, in its schema. */
export function defaultOf<T>(schema: z.ZodType<T, any>): T {
  return schema.parse(undefined);
}

/**
 * Powertools settings every function gets. Traces keep neither a handler's response nor an
 * error's message: either may hold a resident's number or words (shared/runtime/observability.ts).
 */
const observabilityEnvShape = {
  POWERTOOLS_METRICS_NAMESPACE: z.string().default(metricsNamespace),
  POWERTOOLS_TRACER_CAPTURE_RESPONSE: z.enum(['true', 'false']).default('false'),
  POWERTOOLS_TRACER_CAPTURE_ERROR: z.enum(['true', 'false']).default('false'),
};

const positiveInt = z.coerce.number().int().positive();

/**
 * Quiet hours and the deployment's time zone as the text they are set as, with their defaults: a
 * deployment checks its own value with these (functions/deployment-settings.ts), and the
 * functions read them into their meaning (broadcastTimingEnvSchema).
 */
export const quietHoursText = z.string().default('21:00-08:00');
export const timeZoneText = z.string().default('Europe/London');

/** What every function is given, whatever it does. */
export const baseEnvShape = {
  POWERTOOLS_SERVICE_NAME: z.string().default('crier'),
  POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** Read by Powertools itself (see shared/platform/): where metrics go, and what traces keep. */
  ...observabilityEnvShape,
  /** Numbers typed in national form are read as numbers of this country. */
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as GB').default('GB'),
};
export const baseEnvSchema = z.object(baseEnvShape);

/** What every function that reads or writes the table is given. */
export const tableEnvShape = {
  TABLE_NAME: nonEmpty,
  /**
   * How many partitions a topic's subscriber index is spread over. A deployment constant:
   * subscribe writes and fan-out reads must agree on it.
   */
  TOPIC_SHARDS: positiveInt.max(64).default(8),
  /**
   * The retention schedule (shared/retention/): days each class of personal data is kept. Every
   * function that writes the table stamps its records' TTL from these.
   */
  ...retentionEnvShape,
};
export const tableEnvSchema = baseEnvSchema.extend(tableEnvShape);

/**
 * Where provider settings come from: in AWS a Secrets Manager secret (JSON of the same names),
 * locally the environment (docs/contract.md). Neither is read at module load.
 */
export const smsProviderNames = ['sandbox', 'sandbox-b', 'twilio', 'aws-sms'] as const;
export const whatsappProviderNames = ['sandbox', 'sandbox-b', 'twilio', 'whatsapp-cloud'] as const;

export const providerEnvSchema = z.object({
  /** The one provider for SMS; ignored when SMS_PROVIDERS is set. */
  SMS_PROVIDER: z.enum(smsProviderNames).default('sandbox'),
  /** The one provider for WhatsApp; ignored when WHATSAPP_PROVIDERS is set. */
  WHATSAPP_PROVIDER: z.enum(whatsappProviderNames).default('sandbox'),
  /**
   * SMS providers in failover order (`twilio,aws-sms`), or sharing traffic by weight
   * (`twilio:80,aws-sms:20`); wins over SMS_PROVIDER. See shared/config/provider-list.ts.
   */
  SMS_PROVIDERS: providerListSchema(smsProviderNames, 'SMS').optional(),
  /** WhatsApp providers, ordered or weighted as SMS_PROVIDERS; wins over WHATSAPP_PROVIDER. */
  WHATSAPP_PROVIDERS: providerListSchema(whatsappProviderNames, 'WhatsApp').optional(),
  /** In AWS: the secret holding TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (settings-source.ts). */
  TWILIO_SECRET_ARN: nonEmpty.optional(),
  /** In AWS: the secret holding WHATSAPP_CLOUD_ACCESS_TOKEN, WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN. */
  WHATSAPP_CLOUD_SECRET_ARN: nonEmpty.optional(),
  SANDBOX_URL: z.url().optional(),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
  TWILIO_AUTH_TOKEN: nonEmpty.optional(),
  TWILIO_SMS_FROM: nonEmpty.optional(),
  TWILIO_WHATSAPP_FROM: nonEmpty.optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional(),
  /** Points the twilio SDK at another API host: the fake Twilio API in tests. */
  TWILIO_API_BASE_URL: z.url().optional(),
  /** The "Verify token" typed into Meta's app dashboard: answers the WhatsApp webhook handshake. */
  WHATSAPP_VERIFY_TOKEN: nonEmpty.optional(),
  /** The Meta app's App Secret: WhatsApp Cloud API webhooks are signed with it. */
  WHATSAPP_APP_SECRET: nonEmpty.optional(),
  /** A system user's access token with whatsapp_business_messaging permission (Meta Business Manager). */
  WHATSAPP_CLOUD_ACCESS_TOKEN: nonEmpty.optional(),
  /** The id Meta gives the business phone number (not the number itself): messages are posted to it. */
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number ID from the WhatsApp Manager').optional(),
  /** The Graph API version to call, e.g. v25.0; the adapter's default when unset. */
  WHATSAPP_CLOUD_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').optional(),
  /** Points the WhatsApp Cloud API adapter at another Graph API host: the fake Graph API in tests. */
  WHATSAPP_CLOUD_API_BASE_URL: z.url().optional(),
  /**
   * What AWS End User Messaging SMS sends from: a phone number (E.164), its ID or ARN, a sender ID,
   * or a pool ID or ARN (a pool lets AWS pick the right number per destination).
   */
  AWS_SMS_ORIGINATION_IDENTITY: nonEmpty.optional(),
  /** The configuration set whose event destination (an SNS topic) carries delivery receipts. */
  AWS_SMS_CONFIGURATION_SET: nonEmpty.optional(),
  /** Set by Lambda itself; locally, the region the AWS SMS adapter calls. */
  AWS_REGION: nonEmpty.optional(),
});

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
 * When a broadcast may go out. Normal-priority broadcasts are held during quiet hours (local time
 * of the deployment) and resume when they end; urgent ones are not held. `off` turns them off.
 */
export const broadcastTimingEnvSchema = z.object({
  QUIET_HOURS: quietHoursText.pipe(quietHoursSchema),
  TIME_ZONE: timeZoneText.pipe(timeZoneSchema),
});

/**
 * What a department may do unless an operator has set its own limits, out of the box: what a
 * stolen sender key can do before a person notices. A broadcast to more residents than this needs
 * an operator's approval, not only the department's own approver.
 */
export const DEFAULT_OPERATOR_APPROVAL_ABOVE = 2_000;
/** Messages a department may send a day out of the box. */
export const DEFAULT_DAILY_MESSAGE_CAP = 10_000;

/**
 * A department's limits unless an operator has set its own: messages a day (0: no cap), and the
 * audience size above which an operator (not only a department approver) must approve (0: never).
 */
export const departmentLimitsEnvSchema = z.object({
  DAILY_MESSAGE_CAP: z.coerce.number().int().nonnegative().default(DEFAULT_DAILY_MESSAGE_CAP),
  OPERATOR_APPROVAL_ABOVE: z.coerce.number().int().nonnegative().default(DEFAULT_OPERATOR_APPROVAL_ABOVE),
});

/** A variable holding JSON: unset or blank is `empty`, anything that does not parse names an example. */
function jsonVariable(empty: unknown, example: string) {
  return z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return empty;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON: ${example}` });
        return z.NEVER;
      }
    });
}

/**
 * The price table costs are estimated with, as JSON (`{"sms":{"perSegment":0.08,"byCountry":{"GB":0.04}},
 * "whatsapp":{"perMessage":0.02},"currency":"GBP"}`); unset, the built-in estimates. An error names
 * PRICE_TABLE and the field at fault.
 */
export const priceTableEnvSchema = z.object({
  PRICE_TABLE: jsonVariable(defaultPriceTable, 'a price table such as {"sms":{"perSegment":0.04},"whatsapp":{"perMessage":0.02}}').pipe(priceTableSchema),
});

/** Every minute: starts the scheduled broadcasts whose time has come. */
export const schedulerEnvSchema = tableEnvSchema.extend({ FAN_OUT_QUEUE_URL: z.url() }).extend(broadcastTimingEnvSchema.shape);

/** How full the fan-out fills the send queues' jobs. */
export const sendBatchEnvShape = {
  /**
   * Recipients carried by one send-queue message. The fan-out fills every job from all the shards
   * a task reads (shared/usecases/fan-out.ts), so jobs are this full but for one short job per
   * topic per round of pages. Each job costs a receive and a delete whatever its size (about 8
   * SQS requests per 1,000 recipients at 250, 20 at 100). At the default lane widths (two
   * functions per sender up to 40 msg/s) a job of 250, ~85% of it SMS, takes a 10 msg/s sender's
   * function about 45 s and a 5 msg/s one's about 90 s, inside the 110 s a 120 s function sends
   * for; a slower sender's function hands the rest back to the queue. A recipient is ~50 bytes,
   * so even 500 is far under SQS's 256 KiB.
   */
  RECIPIENTS_PER_SEND_MESSAGE: positiveInt.max(500).default(250),
};

export const fanOutEnvSchema = tableEnvSchema
  .extend({ FAN_OUT_QUEUE_URL: z.url(), SEND_URGENT_QUEUE_URL: z.url(), SEND_BULK_QUEUE_URL: z.url() })
  .extend(sendBatchEnvShape);

/**
 * When a channel's traffic moves to its next provider: more than FAILOVER_ERRORS failures that show
 * the provider is unwell within a rolling FAILOVER_WINDOW_SECONDS (GOV.UK Notify's 50 in 60 s), and
 * how long the next provider carries it before one trial message goes back to the primary.
 */
export const failoverEnvSchema = z.object({
  FAILOVER_ERRORS: positiveInt.default(50),
  FAILOVER_WINDOW_SECONDS: positiveInt.max(3600).default(60),
  FAILOVER_COOLDOWN_SECONDS: positiveInt.max(86_400).default(300),
});

/**
 * Rates (`{"twilio:sms":10,"youth-sms":30}`: messages, or SMS segments, a second) by provider and
 * channel or by sender identity, over the identities' own rates and the providers' defaults
 * (shared/domain/sender-identity.ts). An error names SEND_RATES and the key at fault.
 */
export const sendRatesEnvSchema = z.object({
  SEND_RATES: jsonVariable({}, 'rates per sender such as {"twilio:sms":10}').pipe(sendRatesSchema),
});

/**
 * The sender identities the deployment sends from, as a JSON array (shared/domain/sender-identity.ts);
 * unset, each provider sends from its own from setting. An error names the entry and field, as
 * `SENDERS[1].from`.
 */
export const sendersEnvSchema = z.object({
  SENDERS: jsonVariable(undefined, 'an array of sender identities such as [{"id":"main","provider":"twilio","channel":"sms","from":"+447700900123"}]').pipe(
    sendersSchema.optional(),
  ),
});

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

export const senderEnvSchema = tableEnvSchema
  .extend(providerEnvSchema.shape)
  .extend(failoverEnvSchema.shape)
  // Where Twilio is told to post each message's status (crier adds `?messageId=`): the status
  // webhook's own function URL in AWS, the gateway's route locally.
  .extend({ STATUS_CALLBACK_URL: z.url() })
  .extend(broadcastTimingEnvSchema.shape)
  .extend(priceTableEnvSchema.shape)
  .extend(sendRatesEnvSchema.shape)
  .extend(sendersEnvSchema.shape)
  // Where a batch's unfinished rest goes back to, on its own lane.
  .extend({ SEND_URGENT_QUEUE_URL: z.url(), SEND_BULK_QUEUE_URL: z.url() });

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type TableEnv = z.infer<typeof tableEnvSchema>;
export type ProviderEnv = z.infer<typeof providerEnvSchema>;
export type FailoverEnv = z.infer<typeof failoverEnvSchema>;
export type StatusWebhookEnv = z.infer<typeof statusWebhookEnvSchema>;
export type WebhookEnv = z.infer<typeof webhookEnvSchema>;
export type ResidentTextsEnv = z.infer<typeof residentTextsEnvSchema>;
export type AwsSmsNotificationsEnv = z.infer<typeof awsSmsNotificationsEnvSchema>;
export type WhatsAppWebhookEnv = z.infer<typeof whatsappWebhookEnvSchema>;
export type AdminEnv = z.infer<typeof adminEnvSchema>;
export type ResidentsApiEnv = z.infer<typeof residentsApiEnvSchema>;
export type PhoneHashEnv = z.infer<typeof phoneHashEnvSchema>;
export type SubscribersEnv = z.infer<typeof subscribersEnvSchema>;
export type KeysEnv = z.infer<typeof keysEnvSchema>;
export type DeadLettersEnv = z.infer<typeof deadLettersEnvSchema>;
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
export type BroadcastsEnv = z.infer<typeof broadcastsEnvSchema>;
export type FanOutEnv = z.infer<typeof fanOutEnvSchema>;
export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;
export type SenderEnv = z.infer<typeof senderEnvSchema>;
export type ProvidersApiEnv = z.infer<typeof providersApiEnvSchema>;

/**
 * The environment a deployment must give a function with schema S: required variables must be
 * present, variables with defaults may be left out. Values are strings (or CDK tokens).
 */
export type EnvironmentOf<S extends z.ZodObject> = {
  [K in keyof z.input<S> as undefined extends z.input<S>[K] ? never : K]-?: string;
} & {
  [K in keyof z.input<S> as undefined extends z.input<S>[K] ? K : never]?: string;
};

/**
 * The web console: what the broadcasts API needs (its pages call the same use cases), plus who
 * signs people in. The identity provider is any OpenID provider: Cognito in AWS, the embedded one
 * on the local stack. Its client secret comes from Secrets Manager in AWS (the Cognito app
 * client's, read once per container) and from the environment locally (a generated dev secret).
 * The key numbers are hashed with, for erasing a resident, as the subscribers API has it.
 */
export const consoleEnvSchema = broadcastsEnvSchema.extend({
  SERVICE_NAME: nonEmpty,
  /** The urgent lane: the inbox's replies to residents go out on it, as every reply does. */
  SEND_URGENT_QUEUE_URL: z.url(),
  /** Where the console is reached: the sign-in callback and the cookies' origin. */
  PUBLIC_BASE_URL: z.url(),
  OIDC_ISSUER: z.url(),
  OIDC_CLIENT_ID: nonEmpty,
  OIDC_CLIENT_SECRET: nonEmpty.optional(),
  OIDC_CLIENT_SECRET_ARN: nonEmpty.optional(),
  /**
   * The deployment's first operator (`-c operatorEmail`): made an operator at their first sign-in
   * while crier has no staff at all, so a new deployment can be administered from the browser.
   */
  FIRST_OPERATOR_EMAIL: z.email().optional(),
  /** A session ends after this long without a request, and after SESSION_MAX_HOURS whatever happens. */
  SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  SESSION_MAX_HOURS: positiveInt.max(24 * 7).default(12),
  // Erasing a resident from their page hashes the number for the tombstone, as the subscribers API does.
  ...phoneHashEnvSchema.shape,
});
export type ConsoleEnv = z.infer<typeof consoleEnvSchema>;

/**
 * The console's Operations pages (operators): the console's own environment, the work queues and
 * their dead-letter queues (to show and redrive), the failover thresholds the providers' health
 * is read against, and the contact HELP names (the reply wording's preview).
 */
export const consoleOperationsEnvSchema = consoleEnvSchema
  .extend(deadLettersEnvSchema.omit({ TABLE_NAME: true }).shape)
  .extend(failoverEnvSchema.shape)
  .extend({ SERVICE_CONTACT: residentTextsShape.SERVICE_CONTACT });
export type ConsoleOperationsEnv = z.infer<typeof consoleOperationsEnvSchema>;
