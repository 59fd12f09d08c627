import { z } from 'zod';
import type { ProviderEnv } from '../../../config/env.js';
import { parseProviderSettings } from '../settings-problems.js';

/**
 * What the AWS End User Messaging SMS adapter needs, under the names operators set. Credentials
 * are the function's own role (no keys in the secret); the region is the one Lambda runs in.
 */
export const awsSmsSettingsSchema = z.object({
  /**
   * What to send from without SENDERS (with it, each identity names its own). One of the two is
   * required (shared/domain/sender-identity.ts), although AWS would pick one from the account: a
   * council's replies must come from the number residents text, and a pool or number pins that down.
   */
  AWS_SMS_ORIGINATION_IDENTITY: z.string().min(1, 'is empty').optional(),
  /** Required: without its event destination no delivery receipt ever comes back. */
  AWS_SMS_CONFIGURATION_SET: z.string({ error: 'is not set' }).min(1, 'is not set'),
  AWS_REGION: z.string({ error: 'is not set (Lambda sets it; set it locally)' }).regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as eu-west-2'),
});

export type AwsSmsSettings = z.infer<typeof awsSmsSettingsSchema>;

/** Validates the settings, throwing a ConfigurationError that names each bad one. */
export function parseAwsSmsSettings(input: unknown): AwsSmsSettings {
  return parseProviderSettings(awsSmsSettingsSchema, input, 'AWS End User Messaging SMS');
}

/** The `AWS_SMS_*` provider settings and the region (shared/config/env.ts), checked. */
export function awsSmsSettingsFromEnv(env: ProviderEnv): AwsSmsSettings {
  return parseAwsSmsSettings({
    AWS_SMS_ORIGINATION_IDENTITY: env.AWS_SMS_ORIGINATION_IDENTITY,
    AWS_SMS_CONFIGURATION_SET: env.AWS_SMS_CONFIGURATION_SET,
    AWS_REGION: env.AWS_REGION,
  });
}
