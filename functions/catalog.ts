import type {
  FunctionDefinition,
  HttpTrigger,
  QueueDefinition,
  QueueId,
  RouteKey,
  RouteThrottle,
  ScheduleTrigger,
} from './catalog-types.js';
import { adminApiFunctions } from './catalog/admin-api.js';
import { consoleFunctions } from './catalog/console.js';
import { platformFunctions } from './catalog/platform.js';
import { scheduledAndStreamFunctions } from './catalog/scheduled-and-stream.js';
import { sendingFunctions } from './catalog/sending.js';
import { webhookFunctions } from './catalog/webhooks.js';

/**
 * The one description of crier's functions. The CDK stack (infra/) and the local stack (local/)
 * are both built from this file, so they cannot drift: same entries, same triggers, same
 * environment, and in AWS exactly the access listed here.
 *
 * Each capability's entries are in their own module under functions/catalog/ (webhooks, admin
 * API, console, sending, scheduled and stream, platform), with the environment builders they
 * share in functions/catalog/environment.ts; this module puts them together and answers
 * questions about the whole.
 */

export { providerListEnvironment, residentReplies, sendersEnvironment, sendRatesEnvironment } from './catalog/environment.js';
export { sendRetryPolicy } from './catalog/sending.js';

export const queueDefinitions: Record<QueueId, QueueDefinition> = {
  fanOut: { name: 'fan-out' },
  // Urgent and bulk are separate queues with separate consumers, so a jam warning never waits
  // behind a bulk backlog.
  sendUrgent: { name: 'send-urgent' },
  sendBulk: { name: 'send-bulk' },
  // Fed by an SNS topic, not by crier: residents' texts and delivery events from AWS End User
  // Messaging SMS. Every deployment has it (a topic and a queue cost nothing idle), so choosing
  // aws-sms later needs no new resources.
  awsSmsNotifications: { name: 'aws-sms-notifications' },
};

/**
 * Every function, in the catalog's order: the local stack tries HTTP routes in this order, and
 * the CDK stack declares the functions in it.
 */
export const functionCatalog = {
  health: platformFunctions.health,
  twilioInbound: webhookFunctions.twilioInbound,
  countReceipts: scheduledAndStreamFunctions.countReceipts,
  twilioStatus: webhookFunctions.twilioStatus,
  whatsappWebhook: webhookFunctions.whatsappWebhook,
  awsSmsNotifications: webhookFunctions.awsSmsNotifications,
  authorizer: adminApiFunctions.authorizer,
  topicsApi: adminApiFunctions.topicsApi,
  templatesApi: adminApiFunctions.templatesApi,
  subscribersApi: adminApiFunctions.subscribersApi,
  broadcastsApi: adminApiFunctions.broadcastsApi,
  residentsApi: adminApiFunctions.residentsApi,
  console: consoleFunctions.console,
  consoleOperations: consoleFunctions.consoleOperations,
  consoleAssets: consoleFunctions.consoleAssets,
  keysApi: adminApiFunctions.keysApi,
  deadLettersApi: adminApiFunctions.deadLettersApi,
  providersApi: adminApiFunctions.providersApi,
  openApi: platformFunctions.openApi,
  scheduler: scheduledAndStreamFunctions.scheduler,
  fanOut: sendingFunctions.fanOut,
  sendUrgent: sendingFunctions.sendUrgent,
  sendBulk: sendingFunctions.sendBulk,
} satisfies Record<string, FunctionDefinition<any>>;

export type FunctionId = keyof typeof functionCatalog;

export const functionIds = Object.keys(functionCatalog) as FunctionId[];

export function functionDefinition(id: FunctionId): FunctionDefinition {
  return functionCatalog[id] as unknown as FunctionDefinition;
}

export interface HttpRoute {
  routeKey: RouteKey;
  functionId: FunctionId;
  authorizer: HttpTrigger['authorizer'];
  /** The route's own limit at API Gateway; unset: the stage default. */
  throttle?: RouteThrottle;
}

/** Every HTTP route, the function that serves it, whether the authorizer runs first, and its own limit if any. */
export function httpRoutes(): HttpRoute[] {
  return functionIds.flatMap((functionId) => {
    const { trigger } = functionDefinition(functionId);
    if (trigger.kind !== 'http') return [];
    const { authorizer, throttle } = trigger;
    return trigger.routes.map((routeKey) => ({ routeKey, functionId, authorizer, ...(throttle ? { throttle } : {}) }));
  });
}

/** The functions served on their own Lambda function URL as well as through the gateway (HttpTrigger.functionUrl). */
export function functionUrlFunctions(): FunctionId[] {
  return functionIds.filter((functionId) => {
    const { trigger } = functionDefinition(functionId);
    return trigger.kind === 'http' && trigger.functionUrl === true;
  });
}

/** The function that authorizes `apiKey` routes; there is exactly one. */
export function authorizerFunctionId(): FunctionId {
  const authorizers = functionIds.filter((id) => functionDefinition(id).trigger.kind === 'authorizer');
  if (authorizers.length !== 1) throw new Error(`the function catalog has ${authorizers.length} authorizer functions; it needs exactly one`);
  return authorizers[0]!;
}

/** The function that consumes a queue; each queue has exactly one. */
export function consumerOf(queue: QueueId): FunctionId {
  const consumer = functionIds.find((id) => {
    const { trigger } = functionDefinition(id);
    return trigger.kind === 'queue' && trigger.queue === queue;
  });
  if (!consumer) throw new Error(`queue ${queue} has no consumer in the function catalog`);
  return consumer;
}

/** Every function on a schedule, with its trigger. */
export function scheduledFunctions(): { functionId: FunctionId; trigger: ScheduleTrigger }[] {
  return functionIds.flatMap((functionId) => {
    const { trigger } = functionDefinition(functionId);
    return trigger.kind === 'schedule' ? [{ functionId, trigger }] : [];
  });
}

/** Receives of a queue's message before SQS moves it to the dead-letter queue: its consumer's retry policy says. */
export function deadLetterAfterReceives(queue: QueueId): number {
  const { trigger } = functionDefinition(consumerOf(queue));
  if (trigger.kind !== 'queue') throw new Error(`the consumer of queue ${queue} has no queue trigger`);
  return trigger.retry.deadLetterAfterReceives;
}

/**
 * Visibility timeout is 6× the consumer's timeout, as AWS advises, so a slow batch is not
 * redelivered while the first invocation is still working on it.
 */
export function visibilityTimeoutSeconds(queue: QueueId): number {
  return functionDefinition(consumerOf(queue)).timeoutSeconds * 6;
}
