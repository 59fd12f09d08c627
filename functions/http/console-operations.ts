import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createConsoleApp } from '../../console/app.js';
import type { ConsoleDependencies } from '../../console/dependencies.js';
import type { OperationsDependencies } from '../../console/operations-dependencies.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { senderIdentitySource } from '../../shared/adapters/providers/sender-identities.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { SqsDeadLetterQueues } from '../../shared/adapters/sqs/sqs-dead-letters.js';
import { consoleOperationsEnvSchema, type ConsoleOperationsEnv } from '../../shared/config/env.js';
import { ConfigurationError } from '../../shared/domain/errors.js';
import { channelSchema } from '../../shared/domain/model.js';
import { providerListOf, providerListSettingOf } from '../../shared/domain/provider-list.js';
import { validateEnvironment, type EnvironmentContext } from '../../shared/runtime/environment.js';
import { logger } from '../../shared/runtime/logger.js';
import { memoiseBy } from '../../shared/runtime/memo.js';
import { observability } from '../../shared/runtime/observability.js';
import { providersStatus, type SenderIdentitiesResult } from '../../shared/sending/providers-status.js';
import { consoleDependencies } from './console.js';

/**
 * The console's Operations pages (`/console/operations…`): the same console app, given the
 * dead-letter queues and the providers' view, which the function serving every other page is not.
 * As the dead letters API and the providers API build them (dead-letters-api.ts, providers-api.ts).
 */
function operations(env: ConsoleOperationsEnv, console: ConsoleDependencies): OperationsDependencies {
  const identities = senderIdentitySource(providerSettingsSource(env, () => awsClients().secrets), env);
  const health = new DynamoProviderHealthStore(awsClients().documents, env.TABLE_NAME);
  const channels = channelSchema.options.map((channel) => ({ channel, setting: providerListSettingOf(env, channel), providers: providerListOf(env, channel) }));
  const policy = { errors: env.FAILOVER_ERRORS, windowSeconds: env.FAILOVER_WINDOW_SECONDS, cooldownSeconds: env.FAILOVER_COOLDOWN_SECONDS };
  /** As the senders resolve them; a problem is shown rather than failing the page operators use to find it. */
  const senders = async (): Promise<SenderIdentitiesResult> => {
    try {
      return { identities: await identities() };
    } catch (error) {
      if (error instanceof ConfigurationError) return { problem: error.message };
      throw error;
    }
  };
  return {
    deadLetters: {
      ...console.broadcasts,
      deadLetters: new SqsDeadLetterQueues(awsClients().sqs, {
        fanOut: { url: env.FAN_OUT_QUEUE_URL, deadLetterUrl: env.FAN_OUT_DLQ_URL },
        sendUrgent: { url: env.SEND_URGENT_QUEUE_URL, deadLetterUrl: env.SEND_URGENT_DLQ_URL },
        sendBulk: { url: env.SEND_BULK_QUEUE_URL, deadLetterUrl: env.SEND_BULK_DLQ_URL },
        awsSmsNotifications: { url: env.AWS_SMS_NOTIFICATIONS_QUEUE_URL, deadLetterUrl: env.AWS_SMS_NOTIFICATIONS_DLQ_URL },
      }),
    },
    providersStatus: async (principal) => providersStatus({ health, clock: console.broadcasts.clock }, principal, { channels, policy, senders: await senders() }),
    contact: env.SERVICE_CONTACT,
  };
}

const appFor = memoiseBy((env: ConsoleOperationsEnv) => {
  const console = consoleDependencies(env);
  return handle(createConsoleApp({ ...console, operations: operations(env, console) }));
});

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResult, Error, Context & EnvironmentContext<ConsoleOperationsEnv>>(
  async (event: APIGatewayProxyEventV2, context: Context & EnvironmentContext<ConsoleOperationsEnv>) =>
    // Hono declares its own event types (body `string | null`); the event is API Gateway's as it is.
    (await appFor(context.env)(event as unknown as Parameters<ReturnType<typeof handle>>[0], context)) as APIGatewayProxyResult,
)
  .use(observability())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(validateEnvironment(consoleOperationsEnvSchema));
