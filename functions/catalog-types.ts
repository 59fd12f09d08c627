import type { SendRates } from '../shared/domain/send-rates.js';
import type { SenderEntry } from '../shared/domain/sender-identity.js';
import type { PriceTable } from '../shared/domain/sms-preview.js';
import type { z } from 'zod';
import type { EnvironmentOf, ProviderEnv } from '../shared/config/env.js';
import type { QueueId } from '../shared/domain/queues.js';
import type { BackoffRetryPolicy, RetryPolicy } from '../shared/domain/retry-policy.js';
import type { RetentionPeriods } from '../shared/retention/periods.js';
import type { ProviderName } from '../shared/domain/provider-names.js';

export type { QueueId };
/**
 * The deployment's secrets: one per provider with credentials (each function reads only those of
 * the providers it uses), the bootstrap operator key (read by the authorizer alone) and the key
 * erased numbers are hashed with (read by the subscribers function alone), and the console's
 * client secret at the identity provider (read by the console alone).
 */
export type SecretId = 'bootstrapKey' | 'twilio' | 'whatsappCloud' | 'phoneHashKey' | 'consoleClient';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** An API Gateway v2 route key, e.g. `GET /v1/topics/{id}`; `{name+}` takes the rest of the path. */
export type RouteKey = `${HttpMethod} /${string}`;

/**
 * What a deployment hands its functions. In CDK these are tokens (table name, queue URLs,
 * secret ARNs); in the local stack they are real values. The same `environment()` mapping of
 * each function turns them into environment variables in both places.
 */
export interface DeploymentBindings {
  tableName: string;
  queueUrls: Record<QueueId, string>;
  /** Each work queue's dead-letter queue, where SQS moves a job after its consumer's `retry.deadLetterAfterReceives` receives. */
  deadLetterQueueUrls: Record<QueueId, string>;
  publicBaseUrl: string;
  /**
   * Where each function whose HTTP trigger has `functionUrl` is reached, by function id, without a
   * trailing slash: its Lambda function URL in AWS (a token); locally the gateway's public base URL,
   * which serves the same routes. What crier tells a provider to call for that function.
   */
  functionUrls: Readonly<Partial<Record<string, string>>>;
  /** Secrets Manager ARNs; undefined locally, where settings come from the environment. */
  secretArns: Partial<Record<SecretId, string>>;
  /** Local stack only: the file that keeps the operator key, which rotating it rewrites. */
  operatorKeyFile?: string;
  /**
   * The SNS topic AWS End User Messaging SMS publishes residents' texts and delivery events to;
   * its notifications reach the `awsSmsNotifications` queue. Locally a fixed, fictitious ARN.
   */
  awsSmsTopicArn: string;
  /** Who signs staff in to the console: Cognito in AWS, the embedded OpenID provider locally. */
  signIn: SignInBinding;
  settings: DeploymentSettings;
}

/**
 * The console's client at the identity provider. The secret is given directly only locally (a
 * generated dev secret); in AWS it is in Secrets Manager (`secretArns.consoleClient`).
 */
export interface SignInBinding {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Made an operator at their first sign-in while crier has no staff (`-c operatorEmail`). */
  firstOperatorEmail?: string;
}

export interface DeploymentSettings {
  defaultCountry: string;
  smsProvider: ProviderEnv['SMS_PROVIDER'];
  whatsappProvider: ProviderEnv['WHATSAPP_PROVIDER'];
  /** Providers in failover order (the first is the primary), or sharing by weight; unset: `smsProvider` alone. */
  smsProviders?: NonNullable<ProviderEnv['SMS_PROVIDERS']>;
  whatsappProviders?: NonNullable<ProviderEnv['WHATSAPP_PROVIDERS']>;
  /** When failover moves a channel on, and back; unset: the defaults (50 failures in 60 s, 300 s cooldown). */
  failover?: { errors: number; windowSeconds: number; cooldownSeconds: number };
  topicShards: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Who runs the service and how to reach a person: what HELP tells residents. */
  serviceName: string;
  serviceContact: string;
  /** Texts from one resident in 5 minutes before replies pause (FLOOD_LIMIT); unset, its schema's default. */
  floodLimit?: number;
  /** Recipients in one send job (RECIPIENTS_PER_SEND_MESSAGE); unset, its schema's default. */
  recipientsPerSendMessage?: number;
  /** A console session's idle limit and longest life (SESSION_IDLE_MINUTES, SESSION_MAX_HOURS); unset, the schema's defaults. */
  sessionIdleMinutes?: number;
  sessionMaxHours?: number;
  /** When normal-priority broadcasts are held, `HH:MM-HH:MM` in `timeZone`, or `off`. */
  quietHours: string;
  /** The IANA time zone quiet hours are read in, e.g. Europe/London. */
  timeZone: string;
  /** A department's messages a day unless an operator set its own; 0: no cap. */
  dailyMessageCap: number;
  /** Audience size above which an operator must approve a broadcast; 0: never. */
  operatorApprovalAbove: number;
  /** The price table costs are estimated with (PRICE_TABLE); unset: the built-in estimates. */
  priceTable?: PriceTable;
  /** Rates by provider-channel or identity id, over the identities' own (SEND_RATES); see shared/domain/send-rates.ts. */
  sendRates?: SendRates;
  /** The identities the deployment sends from (SENDERS); unset, each provider's own from setting. */
  senders?: readonly SenderEntry[];
  /** Days each class of personal data is kept (RETAIN_*_DAYS); unset, the schedule's defaults. */
  retention?: RetentionPeriods;
  /**
   * The providers' settings that are not secret (numbers, ids, the AWS SMS identity): environment
   * variables of the functions that need them, so those that need no credential read no secret.
   */
  providerSettings?: ProviderPublicSettings;
}

/** Provider settings that identify, not authenticate: from CDK context in AWS, the environment locally. */
export type ProviderPublicSettings = Partial<Pick<ProviderEnv, (typeof providerPublicSettingNames)[number]>>;
export const providerPublicSettingNames = [
  'TWILIO_SMS_FROM',
  'TWILIO_WHATSAPP_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
  'WHATSAPP_CLOUD_PHONE_NUMBER_ID',
  'WHATSAPP_CLOUD_API_VERSION',
  'AWS_SMS_ORIGINATION_IDENTITY',
  'AWS_SMS_CONFIGURATION_SET',
] as const;

export interface HttpTrigger {
  kind: 'http';
  routes: readonly RouteKey[];
  /**
   * `apiKey`: the gateway runs the catalog's authorizer function first and refuses the request
   * without a valid key (the admin API). `none`: the route is public or checks its caller itself
   * (webhooks check the provider's signature). Required, so a new route must choose.
   */
  authorizer: 'apiKey' | 'none';
  /**
   * What API Gateway lets through to EACH of these routes (a stage route setting of its own),
   * whatever the admin API is sent; unset: the stage's default, which the admin API shares.
   * The webhooks have one, sized above what providers send at a broadcast's peak: a throttled
   * inbound text is not retried, and it may be a STOP. The local stack does not throttle.
   */
  throttle?: RouteThrottle;
  /**
   * Also served on the function's own Lambda function URL (auth type NONE: the handler checks the
   * provider's signature), which answers the same routes; crier tells providers to call that URL
   * (`DeploymentBindings.functionUrls`). A request there costs the Lambda request alone, where one
   * through API Gateway also costs $1 per million: worth it for what arrives once or twice per
   * message (delivery receipts). Neither CloudFront's WAF nor a route throttle is in front of it:
   * the function's `reservedConcurrency` is what bounds it, so such a function must set one. The
   * API Gateway routes stay, for whatever still calls them (a receipt of a message sent before the
   * function URL existed); the local stack serves both on its one gateway.
   */
  functionUrl?: true;
}

/** Requests a second: the steady rate and the burst a token bucket allows above it. */
export interface RouteThrottle {
  ratePerSecond: number;
  burst: number;
}

/**
 * Runs every N minutes: in AWS an EventBridge rule, locally a timer. Runs of one function never
 * overlap: its timeout must be shorter than the interval (the stack refuses otherwise), and the
 * local timer skips a tick while a run is still going.
 */
export interface ScheduleTrigger {
  kind: 'schedule';
  everyMinutes: number;
}

/** The HTTP API's Lambda authorizer (simple responses) for the routes marked `authorizer: 'apiKey'`. */
export interface AuthorizerTrigger {
  kind: 'authorizer';
}

export interface QueueTrigger {
  kind: 'queue';
  queue: QueueId;
  /** Records per invocation (Lambda event source `batchSize`). */
  batchSize: number;
  /**
   * Concurrent invocations the event source may run (Lambda `maxConcurrency`, at least 2), or how
   * to work it out from the deployment's settings (the senders size theirs from their rates).
   */
  maxConcurrency: number | ((settings: DeploymentSettings) => number);
  /**
   * How its jobs are retried, declared here once: SQS moves a message to the dead-letter queue
   * after `deadLetterAfterReceives` receives (both stacks set the redrive policy from it); a
   * backoff policy's attempts and waits are what the consumer's handler and use case apply.
   */
  retry: RetryPolicy | BackoffRetryPolicy;
}

/**
 * The table's change stream (new and old images): in AWS a DynamoDB Streams event source, locally
 * the local stack's own capture of the table's writes (local/table-stream.ts). Lambda reads a
 * stream for nothing: a consumer that counts many writes at once saves a write on each.
 */
export interface TableStreamTrigger {
  kind: 'tableStream';
  /** Records per invocation at most (`batchSize`). */
  batchSize: number;
  /** How long records gather before an invocation (`maxBatchingWindow`); locally a fraction of it. */
  batchingWindowSeconds: number;
  /**
   * A Lambda event filter pattern: only records matching it invoke the function (the rest are
   * passed over at no cost). The local stack applies the same pattern (equality lists and
   * `exists`, the forms used here).
   */
  filter: TableStreamFilter;
}

/** An event filter pattern: each leaf a list of accepted values, or `{ exists }` for presence. */
export type TableStreamFilter = { [field: string]: TableStreamFilter | readonly (string | { exists: boolean })[] };

/** A queue trigger's concurrency for these settings. */
export function concurrencyOf(trigger: QueueTrigger, settings: DeploymentSettings): number {
  return typeof trigger.maxConcurrency === 'number' ? trigger.maxConcurrency : trigger.maxConcurrency(settings);
}

/** The AWS resources a function may touch; the stack grants exactly these and nothing more. */
export interface FunctionAccess {
  /**
   * The table's items, by key (GetItem, BatchGetItem, Query; and PutItem, UpdateItem, DeleteItem
   * for `readwrite`). Never Scan or BatchWriteItem: nothing in crier uses them. The change stream
   * is read only by the event source of a `tableStream` trigger, which the stack grants alone.
   */
  table?: 'read' | 'readwrite';
  /**
   * Adds audit records (the admin routes, which act for a principal). No function may change or
   * delete one, and a function without this may not write one at all.
   */
  appendsAudit?: boolean;
  sendsTo?: readonly QueueId[];
  /**
   * Reads and empties these queues' dead-letter queues (receive, change visibility, delete): what
   * showing and redriving dead letters needs. Putting them back on the work queue is `sendsTo`.
   */
  deadLetters?: readonly QueueId[];
  /** Secrets it reads (GetSecretValue); for the senders, those of the providers the deployment uses. */
  secrets?: readonly SecretId[] | ((settings: DeploymentSettings) => readonly SecretId[]);
  /** Secrets it writes a new value to (PutSecretValue) but never reads: the bootstrap key's rotation. */
  writesSecrets?: readonly SecretId[];
  /**
   * May send SMS through AWS End User Messaging SMS (`sms-voice:SendTextMessage`), granted only
   * when the deployment's SMS providers include aws-sms, and on the origination identity and
   * configuration set its settings name where they can be turned into ARNs
   * (infra/constructs/sms-voice-grant.ts).
   */
  sendsSms?: boolean;
}

export interface FunctionDefinition<S extends z.ZodObject = z.ZodObject> {
  description: string;
  /** Source file, relative to the repository root; it exports `handler`. */
  entry: string;
  envSchema: S;
  environment: (bindings: DeploymentBindings) => EnvironmentOf<S>;
  trigger: HttpTrigger | QueueTrigger | AuthorizerTrigger | ScheduleTrigger | TableStreamTrigger;
  access: FunctionAccess;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * Concurrent executions kept for this function alone (Lambda reserved concurrency). No other
   * function, however flooded, can take them, and the function can never run more than this.
   * The webhooks have it, so a resident's STOP always finds a function free while the admin API
   * or a broadcast is busy. The local stack runs every function in one process and ignores it.
   */
  reservedConcurrency?: number;
}

export interface QueueDefinition {
  /** Physical name suffix; CDK and the local stack prefix it. */
  name: string;
}

/** The secrets a function reads in a deployment with these settings. */
export function secretsOf(access: FunctionAccess, settings: DeploymentSettings): readonly SecretId[] {
  return typeof access.secrets === 'function' ? access.secrets(settings) : (access.secrets ?? []);
}

/** Every provider that carries either channel in a deployment with these settings. */
export function providersInUse(settings: DeploymentSettings): ProviderName[] {
  const sms = settings.smsProviders?.map(({ name }) => name) ?? [settings.smsProvider];
  const whatsapp = settings.whatsappProviders?.map(({ name }) => name) ?? [settings.whatsappProvider];
  return [...new Set([...sms, ...whatsapp])];
}

/** Which secret holds a provider's credentials; the sandboxes have none, AWS SMS uses the function's role. */
export const providerSecretIds: Partial<Record<ProviderName, SecretId>> = { twilio: 'twilio', 'whatsapp-cloud': 'whatsappCloud' };

/** The secrets of the providers a deployment uses: what its senders read. */
export function secretsOfProvidersInUse(settings: DeploymentSettings): SecretId[] {
  return providersInUse(settings).flatMap((provider) => providerSecretIds[provider] ?? []);
}

/** Keeps the schema's type attached to the entry, so `environment` is checked against it. */
export function defineFunction<S extends z.ZodObject>(definition: FunctionDefinition<S>): FunctionDefinition<S> {
  return definition;
}
