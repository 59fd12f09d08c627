import { z } from 'zod';
import type { ProviderEnv } from '../../../config/env.js';
import { parseProviderSettings } from '../settings-problems.js';

/**
 * What the Twilio adapter needs to send. Validated once when the provider is built, so a typo in
 * a secret fails the first send loudly (ConfigurationError) instead of every message one by one.
 */
export const twilioSettingsSchema = z
  .object({
    accountSid: z.string({ error: 'is not set' }).regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits'),
    authToken: z.string({ error: 'is not set' }).min(1, 'is not set'),
    /** Our SMS number (E.164) or alphanumeric sender id. */
    smsFrom: z.string().min(1).optional(),
    /** Our WhatsApp sender, with or without the `whatsapp:` prefix. */
    whatsappFrom: z.string().min(1).optional(),
    /** A Messaging Service picks the sender from its pool (and applies Advanced Opt-Out). */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex digits')
      .optional(),
    /** Points the SDK at another API host: the fake Twilio API in tests, never set in production. */
    apiBaseUrl: z.url().optional(),
  })
  .refine(
    (settings) =>
      settings.smsFrom !== undefined ||
      settings.whatsappFrom !== undefined ||
      settings.messagingServiceSid !== undefined,
    { message: 'set at least one sender: smsFrom, whatsappFrom or messagingServiceSid' },
  );

export type TwilioSettings = z.infer<typeof twilioSettingsSchema>;

/** Validates settings, throwing a ConfigurationError that names each bad field (never the token). */
export function parseTwilioSettings(input: unknown): TwilioSettings {
  return parseProviderSettings(twilioSettingsSchema, input, 'Twilio');
}

/** The setting (environment variable, or field of the provider secret) each field comes from. */
const twilioSettingNames: Record<keyof TwilioSettings, string> = {
  accountSid: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  smsFrom: 'TWILIO_SMS_FROM',
  whatsappFrom: 'TWILIO_WHATSAPP_FROM',
  messagingServiceSid: 'TWILIO_MESSAGING_SERVICE_SID',
  apiBaseUrl: 'TWILIO_API_BASE_URL',
};

/**
 * Builds the settings from the `TWILIO_*` variables of the environment schema (shared/config/env.ts);
 * an error names the variables, as operators know them.
 */
export function twilioSettingsFromEnv(env: ProviderEnv): TwilioSettings {
  return parseProviderSettings(twilioSettingsSchema, {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    smsFrom: env.TWILIO_SMS_FROM,
    whatsappFrom: env.TWILIO_WHATSAPP_FROM,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: env.TWILIO_API_BASE_URL,
  }, 'Twilio', twilioSettingNames);
}
