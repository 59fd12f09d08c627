import { ConfigurationError } from '../../../domain/errors.js';
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
