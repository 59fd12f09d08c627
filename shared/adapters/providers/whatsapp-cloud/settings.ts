import { z } from 'zod';
import type { ProviderEnv } from '../../../config/env.js';
import { ConfigurationError } from '../../../domain/errors.js';
import { parseProviderSettings } from '../settings-problems.js';
import type { ProviderSettingsSource } from '../settings-source.js';

/*
 * The two values a WhatsApp Cloud API webhook is checked with. Locally they come from the
 * environment; in AWS from the provider secret (same names), like Twilio's auth token.
 *   WHATSAPP_VERIFY_TOKEN: the "Verify token" typed into Meta's app dashboard (the GET handshake).
 *   WHATSAPP_APP_SECRET: the Meta app's App Secret (X-Hub-Signature-256 is its HMAC of each body).
 */

/** The verify token; a deployment without one cannot answer Meta's handshake. */
export async function whatsappVerifyToken(source: ProviderSettingsSource): Promise<string> {
  const token = (await source()).WHATSAPP_VERIFY_TOKEN;
  if (!token) {
    throw new ConfigurationError('WHATSAPP_VERIFY_TOKEN is not set, so the WhatsApp webhook handshake cannot be answered');
  }
  return token;
}

/** The app secret; a deployment without one cannot verify a single WhatsApp webhook. */
export async function whatsappAppSecret(source: ProviderSettingsSource): Promise<string> {
  const secret = (await source()).WHATSAPP_APP_SECRET;
  if (!secret) {
    throw new ConfigurationError('WHATSAPP_APP_SECRET is not set, so WhatsApp Cloud API webhooks cannot be verified');
  }
  return secret;
}

/**
 * A current Graph API version. Meta keeps each version for about two years after the next one
 * ships, so a deployment pinned to this keeps working; set WHATSAPP_CLOUD_API_VERSION to move on
 * without a release.
 */
export const DEFAULT_WHATSAPP_CLOUD_API_VERSION = 'v26.0';

/** Where the Graph API lives; only the fake Graph API in tests changes it. */
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/**
 * What the WhatsApp Cloud API adapter needs to send, under the names operators set (the
 * environment locally, the provider secret in AWS), so a problem is reported by the name to fix.
 */
export const whatsappCloudSettingsSchema = z.object({
  WHATSAPP_CLOUD_ACCESS_TOKEN: z.string({ error: 'is not set' }).min(1, 'is not set'),
  /** The one number to send from without SENDERS; with it, each identity names its own. */
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z
    .string()
    .regex(/^\d+$/, 'must be the numeric phone number ID from the WhatsApp Manager')
    .optional(),
  WHATSAPP_CLOUD_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'must look like v25.0').default(DEFAULT_WHATSAPP_CLOUD_API_VERSION),
  WHATSAPP_CLOUD_API_BASE_URL: z.url().default(DEFAULT_GRAPH_BASE_URL),
});

export type WhatsAppCloudSettings = z.infer<typeof whatsappCloudSettingsSchema>;

/** Validates the settings, throwing a ConfigurationError that names each bad one (never the token's value). */
export function parseWhatsAppCloudSettings(input: unknown): WhatsAppCloudSettings {
  return parseProviderSettings(whatsappCloudSettingsSchema, input, 'WhatsApp Cloud API');
}

/** The `WHATSAPP_CLOUD_*` provider settings (shared/config/env.ts), checked. */
export function whatsappCloudSettingsFromEnv(env: ProviderEnv): WhatsAppCloudSettings {
  return parseWhatsAppCloudSettings({
    WHATSAPP_CLOUD_ACCESS_TOKEN: env.WHATSAPP_CLOUD_ACCESS_TOKEN,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: env.WHATSAPP_CLOUD_PHONE_NUMBER_ID,
    WHATSAPP_CLOUD_API_VERSION: env.WHATSAPP_CLOUD_API_VERSION,
    WHATSAPP_CLOUD_API_BASE_URL: env.WHATSAPP_CLOUD_API_BASE_URL,
  });
}
