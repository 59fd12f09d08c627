/**
 * Environment schemas. Every function validates its environment once, at the first invocation,
 * with one of these (see `shared/runtime/middleware/environment.ts`), and the CDK construct's
 * `environment` prop is typed from the same schema, so a missing variable fails to compile.
 *
 * The schemas live in shared/config/env/ by job; this module is the one place functions, the
 * stack and the local stack import them from.
 */

export { baseEnvSchema, baseEnvShape, defaultOf, tableEnvSchema, tableEnvShape } from './env/base.js';
export type { BaseEnv, EnvironmentOf, TableEnv } from './env/base.js';

export {
  broadcastTimingEnvSchema,
  DEFAULT_DAILY_MESSAGE_CAP,
  DEFAULT_OPERATOR_APPROVAL_ABOVE,
  departmentLimitsEnvSchema,
  priceTableEnvSchema,
  quietHoursText,
  timeZoneText,
} from './env/broadcast-rules.js';

export {
  failoverEnvSchema,
  providerEnvSchema,
  sendersEnvSchema,
  sendRatesEnvSchema,
  smsProviderNames,
  whatsappProviderNames,
} from './env/providers.js';
export type { FailoverEnv, ProviderEnv } from './env/providers.js';

export {
  awsSmsNotificationsEnvSchema,
  residentTextsEnvSchema,
  residentTextsShape,
  statusWebhookEnvSchema,
  webhookEnvSchema,
  whatsappWebhookEnvSchema,
} from './env/webhooks.js';
export type { AwsSmsNotificationsEnv, ResidentTextsEnv, StatusWebhookEnv, WebhookEnv, WhatsAppWebhookEnv } from './env/webhooks.js';

export {
  adminEnvSchema,
  authorizerEnvSchema,
  broadcastsEnvSchema,
  deadLettersEnvSchema,
  keysEnvSchema,
  phoneHashEnvSchema,
  providersApiEnvSchema,
  residentsApiEnvSchema,
  subscribersEnvSchema,
} from './env/admin-api.js';
export type {
  AdminEnv,
  AuthorizerEnv,
  BroadcastsEnv,
  DeadLettersEnv,
  KeysEnv,
  PhoneHashEnv,
  ProvidersApiEnv,
  ResidentsApiEnv,
  SubscribersEnv,
} from './env/admin-api.js';

export { fanOutEnvSchema, schedulerEnvSchema, sendBatchEnvShape, senderEnvSchema } from './env/sending.js';
export type { FanOutEnv, SchedulerEnv, SenderEnv } from './env/sending.js';

export { consoleEnvSchema, consoleOperationsEnvSchema, consoleSessionShape } from './env/console.js';
export type { ConsoleEnv, ConsoleOperationsEnv } from './env/console.js';
