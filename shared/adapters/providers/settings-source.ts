import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { providerEnvSchema, type ProviderEnv } from '../../config/env.js';
import { ConfigurationError } from '../../domain/errors.js';

/** The secret holds the same names as the local environment (docs/contract.md), as one JSON object. */
const secretSchema = providerEnvSchema
  .pick({
    TWILIO_ACCOUNT_SID: true,
    TWILIO_AUTH_TOKEN: true,
    TWILIO_SMS_FROM: true,
    TWILIO_WHATSAPP_FROM: true,
    TWILIO_MESSAGING_SERVICE_SID: true,
    WHATSAPP_VERIFY_TOKEN: true,
    WHATSAPP_APP_SECRET: true,
    WHATSAPP_CLOUD_ACCESS_TOKEN: true,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: true,
    WHATSAPP_CLOUD_API_VERSION: true,
    AWS_SMS_ORIGINATION_IDENTITY: true,
    AWS_SMS_CONFIGURATION_SET: true,
  })
  .partial();

/** Long enough to spare Secrets Manager, short enough that a rotated token is picked up soon. */
const REFRESH_AFTER_MS = 5 * 60_000;

export type ProviderSettingsSource = () => Promise<ProviderEnv>;

/**
 * Provider settings as the function should use them now: the environment, overlaid in AWS with
 * the provider secret (fetched at first use, then refreshed every few minutes).
 */
export function providerSettingsSource(env: ProviderEnv, secrets: () => SecretsManagerClient): ProviderSettingsSource {
  const secretArn = env.PROVIDER_SECRET_ARN;
  if (!secretArn) return async () => env;
  let cached: { settings: ProviderEnv; fetchedAt: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.fetchedAt < REFRESH_AFTER_MS) return cached.settings;
    const { SecretString } = await secrets().send(new GetSecretValueCommand({ SecretId: secretArn }));
    let json: unknown;
    try {
      json = JSON.parse(SecretString ?? '{}');
    } catch (error) {
      throw new ConfigurationError('the provider secret is not a JSON object', { cause: error });
    }
    // An operator leaves a field blank when it does not apply (no WhatsApp number, say).
    const filled = typeof json === 'object' && json !== null
      ? Object.fromEntries(Object.entries(json).filter(([, value]) => value !== '' && value !== null))
      : json;
    const parsed = secretSchema.safeParse(filled);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new ConfigurationError(`the provider secret is invalid: ${problems.join('; ')}`);
    }
    cached = { settings: { ...env, ...parsed.data }, fetchedAt: Date.now() };
    return cached.settings;
  };
}

/**
 * For a function given no provider settings (AWS SMS notifications: nothing there calls a provider
 * or reads the secret). Only a wiring mistake asks it, and is told so.
 */
export const noProviderSettings: ProviderSettingsSource = async () => {
  throw new ConfigurationError('this function is given no provider settings (no provider environment, no provider secret)');
};
