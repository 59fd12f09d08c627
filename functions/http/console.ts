import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { CountryCode } from 'libphonenumber-js';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createConsoleApp } from '../../console/app.js';
import type { ConsoleDependencies } from '../../console/dependencies.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoSessionStore, DynamoSignInAttemptStore } from '../../shared/adapters/dynamo/session-store.js';
import { OpenIdIdentityProvider } from '../../shared/adapters/openid/openid-identity-provider.js';
import { consoleEnvSchema, type ConsoleEnv } from '../../shared/config/env.js';
import { validateEnvironment, type EnvironmentContext } from '../../shared/runtime/environment.js';
import { logger } from '../../shared/runtime/logger.js';
import { memoiseBy } from '../../shared/runtime/memo.js';
import { observability } from '../../shared/runtime/observability.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import { broadcastDependencies, jobQueue } from '../wiring.js';

/** The console's adapters, built once per container from the validated environment (the operations function's too). */
export function consoleDependencies(env: ConsoleEnv): ConsoleDependencies {
  const { documents } = awsClients();
  return {
    serviceName: env.SERVICE_NAME,
    publicBaseUrl: env.PUBLIC_BASE_URL.replace(/\/$/, ''),
    // With the phone hash key in env: erasing a resident keys its tombstone with it.
    broadcasts: broadcastDependencies(env),
    defaultCountry: env.DEFAULT_COUNTRY as CountryCode,
    replies: jobQueue<ReplySendJob>(env.SEND_URGENT_QUEUE_URL),
    sessions: new DynamoSessionStore(documents, env.TABLE_NAME),
    signInAttempts: new DynamoSignInAttemptStore(documents, env.TABLE_NAME),
    identityProvider: new OpenIdIdentityProvider({
      issuer: new URL(env.OIDC_ISSUER),
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: () => clientSecret(env),
      redirectUri: `${env.PUBLIC_BASE_URL.replace(/\/$/, '')}/console/auth/callback`,
    }),
    sessionPolicy: { idleMinutes: env.SESSION_IDLE_MINUTES, maxHours: env.SESSION_MAX_HOURS },
    ...(env.FIRST_OPERATOR_EMAIL ? { firstOperatorEmail: env.FIRST_OPERATOR_EMAIL } : {}),
  };
}

/** Locally the environment has it; in AWS its secret does (Cognito's, copied at deploy). */
async function clientSecret(env: ConsoleEnv): Promise<string | undefined> {
  if (env.OIDC_CLIENT_SECRET) return env.OIDC_CLIENT_SECRET;
  if (!env.OIDC_CLIENT_SECRET_ARN) return undefined;
  const { SecretString } = await awsClients().secrets.send(new GetSecretValueCommand({ SecretId: env.OIDC_CLIENT_SECRET_ARN }));
  return SecretString?.trim() || undefined;
}

const appFor = memoiseBy((env: ConsoleEnv) => handle(createConsoleApp(consoleDependencies(env))));

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResult, Error, Context & EnvironmentContext<ConsoleEnv>>(
  async (event: APIGatewayProxyEventV2, context: Context & EnvironmentContext<ConsoleEnv>) =>
    // Hono declares its own event types (body `string | null`); the event is API Gateway's as it is.
    (await appFor(context.env)(event as unknown as Parameters<ReturnType<typeof handle>>[0], context)) as APIGatewayProxyResult,
)
  .use(observability())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(validateEnvironment(consoleEnvSchema));
