import { z } from 'zod';
import { nonEmpty, positiveInt } from './base.js';
import { broadcastsEnvSchema, deadLettersEnvSchema, phoneHashEnvSchema } from './admin-api.js';
import { failoverEnvSchema } from './providers.js';
import { residentTextsShape } from './webhooks.js';

/**
 * How long a staff session lasts: ended after SESSION_IDLE_MINUTES without a request, and after
 * SESSION_MAX_HOURS whatever happens. A council's security policy may want them shorter.
 */
export const consoleSessionShape = {
  SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  SESSION_MAX_HOURS: positiveInt.max(24 * 7).default(12),
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
  ...consoleSessionShape,
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
  // It only reads sessions: exchanging a sign-in code, which needs the client's secret, is the console function's.
  .omit({ OIDC_CLIENT_SECRET: true, OIDC_CLIENT_SECRET_ARN: true })
  .extend(deadLettersEnvSchema.omit({ TABLE_NAME: true }).shape)
  .extend(failoverEnvSchema.shape)
  .extend({ SERVICE_CONTACT: residentTextsShape.SERVICE_CONTACT });
export type ConsoleOperationsEnv = z.infer<typeof consoleOperationsEnvSchema>;
