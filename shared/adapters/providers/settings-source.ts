import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { providerEnvSchema, type ProviderEnv } from '../../config/env.js';
import { ConfigurationError } from '../../domain/errors.js';

/**
 * The provider secrets of a deployment, one per provider with credentials, each holding only that
 * provider's credentials, by the names the local environment uses (README). What identifies rather
 * than authenticates (numbers, ids, the AWS SMS identity) is in the functions' environment, from
 * CDK context, so the functions that need only that read no secret at all.
 */
export const providerSecrets = {
  twilio: {
    arnVariable: 'TWILIO_SECRET_ARN',
    schema: providerEnvSchema.pick({ TWILIO_ACCOUNT_SID: true, TWILIO_AUTH_TOKEN: true }).partial().strict(),
  },
  whatsappCloud: {
    arnVariable: 'WHATSAPP_CLOUD_SECRET_ARN',
    schema: providerEnvSchema
      .pick({ WHATSAPP_CLOUD_ACCESS_TOKEN: true, WHATSAPP_APP_SECRET: true, WHATSAPP_VERIFY_TOKEN: true })
      .partial()
      .strict(),
  },
} as const satisfies Record<string, { arnVariable: keyof ProviderEnv; schema: z.ZodObject }>;

export type ProviderSecretId = keyof typeof providerSecrets;

/** The names each provider secret holds: the template deployed, and what operators fill in. */
export function providerSecretKeys(id: ProviderSecretId): string[] {
  return Object.keys(providerSecrets[id].schema.shape);
}

/** Long enough to spare Secrets Manager, short enough that a rotated token is picked up soon. */
const REFRESH_AFTER_MS = 5 * 60_000;

export type ProviderSettingsSource = () => Promise<ProviderEnv>;

/**
 * Provider settings as the function should use them now: the environment, overlaid in AWS with the
 * provider secrets the function was given (fetched at first use, then refreshed every few minutes).
 */
export function providerSettingsSource(env: ProviderEnv, secrets: () => SecretsManagerClient): ProviderSettingsSource {
  const given = (Object.keys(providerSecrets) as ProviderSecretId[]).flatMap((id) => {
    const secretArn = env[providerSecrets[id].arnVariable];
    return secretArn ? [{ id, secretArn }] : [];
  });
  if (given.length === 0) return async () => env;
  let cached: { settings: ProviderEnv; fetchedAt: number } | undefined;
  return async () => {
    if (cached && Date.now() - cached.fetchedAt < REFRESH_AFTER_MS) return cached.settings;
    const values = await Promise.all(given.map(({ id, secretArn }) => readProviderSecret(secrets(), id, secretArn)));
    cached = { settings: Object.assign({ ...env }, ...values) as ProviderEnv, fetchedAt: Date.now() };
    return cached.settings;
  };
}

async function readProviderSecret(client: SecretsManagerClient, id: ProviderSecretId, secretArn: string): Promise<Partial<ProviderEnv>> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let json: unknown;
  try {
    json = JSON.parse(SecretString ?? '{}');
  } catch (error) {
    throw new ConfigurationError(`the ${id} secret is not a JSON object`, { cause: error });
  }
  // An operator leaves a field blank when it does not apply (no WhatsApp number, say).
  const filled =
    typeof json === 'object' && json !== null
      ? Object.fromEntries(Object.entries(json).filter(([, value]) => value !== '' && value !== null))
      : json;
  const parsed = providerSecrets[id].schema.safeParse(filled);
  if (!parsed.success) {
    // Names and messages only, never a value: the secret's contents stay out of logs.
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'does' : 'do'} not belong here (it holds ${providerSecretKeys(id).join(', ')}; numbers and ids are deployment settings, see the README)`
        : `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigurationError(`the ${id} secret is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * For a function given no provider settings (AWS SMS notifications: nothing there calls a provider
 * or reads a secret). Only a wiring mistake asks it, and is told so.
 */
export const noProviderSettings: ProviderSettingsSource = async () => {
  throw new ConfigurationError('this function is given no provider settings (no provider environment, no provider secret)');
};
