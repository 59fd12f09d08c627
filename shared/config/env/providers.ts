import { z } from 'zod';
import { sendRatesSchema } from '../../domain/send-rates.js';
import { sendersSchema } from '../../domain/sender-identity.js';
import { providerListSchema } from '../provider-list.js';
import { jsonVariable, nonEmpty, positiveInt } from './base.js';

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

export type ProviderEnv = z.infer<typeof providerEnvSchema>;
export type FailoverEnv = z.infer<typeof failoverEnvSchema>;
