import { baseEnvSchema, consoleEnvSchema, consoleOperationsEnvSchema } from '../../shared/config/env.js';
import { defineFunction, type FunctionDefinition } from '../catalog-types.js';
import { consoleSessionFragment } from '../env-fragments.js';
import { queueIds } from '../../shared/domain/queues.js';
import { base, broadcastsEnvironment, failover, sessionsOf, signIn } from './environment.js';

/** The web console: its pages, its Operations pages and its static assets. */
export const consoleFunctions = {
  // The web console's pages: staff sign in with OpenID Connect (never an API key) and act through
  // the same use cases as the admin API, as the person they are. Public at the gateway: each page
  // checks the person's session itself, and sends them to sign in without one.
  console: defineFunction({
    description: 'The web console: staff sign in, send, approve and follow broadcasts, answer the inbox, find and erase residents',
    entry: 'functions/http/console.ts',
    envSchema: consoleEnvSchema,
    environment: (b) => ({
      ...broadcastsEnvironment(b),
      ...signIn(b),
      ...consoleSessionFragment.environment(b.settings),
      SERVICE_NAME: b.settings.serviceName,
      PUBLIC_BASE_URL: b.publicBaseUrl,
      ...(b.secretArns.phoneHashKey ? { PHONE_HASH_KEY_SECRET_ARN: b.secretArns.phoneHashKey } : {}),
      SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent,
    }),
    trigger: { kind: 'http', routes: ['GET /', 'GET /console', 'GET /console/{proxy+}', 'POST /console/{proxy+}'], authorizer: 'none' },
    // consoleClient: the client secret it exchanges sign-in codes with. phoneHashKey: an operator
    // erases a resident from their page, which keys the erasure tombstone with it, as the
    // subscribers API does.
    // sendUrgent: the inbox's Send reply queues the reply on the urgent lane, as every reply to a resident goes.
    access: { table: 'readwrite', appendsAudit: true, sendsTo: ['fanOut', 'sendUrgent'], secrets: ['consoleClient', 'phoneHashKey'] },
    // An erasure reads through the resident's topics' broadcasts: the subscribers API's 29 s
    // (within API Gateway's 30), not the 10 s of the other admin routes.
    timeoutSeconds: 29,
    memoryMb: 1024,
  }),
  // The console's Operations pages (operators): the same pages' code, given the dead-letter queues
  // and the providers' view. A function of its own, so the one serving every other page never
  // holds the dead-letter queues' grants; API Gateway sends it /console/operations… as the more
  // specific routes.
  consoleOperations: defineFunction({
    description: "The web console's Operations pages: providers, dead letters (shown and redriven) and the wording of replies",
    entry: 'functions/http/console-operations.ts',
    envSchema: consoleOperationsEnvSchema,
    environment: (b) => ({
      ...broadcastsEnvironment(b),
      ...sessionsOf(b),
      ...consoleSessionFragment.environment(b.settings),
      SERVICE_NAME: b.settings.serviceName,
      SERVICE_CONTACT: b.settings.serviceContact,
      PUBLIC_BASE_URL: b.publicBaseUrl,
      SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent,
      FAN_OUT_DLQ_URL: b.deadLetterQueueUrls.fanOut,
      SEND_URGENT_DLQ_URL: b.deadLetterQueueUrls.sendUrgent,
      SEND_BULK_QUEUE_URL: b.queueUrls.sendBulk,
      SEND_BULK_DLQ_URL: b.deadLetterQueueUrls.sendBulk,
      AWS_SMS_NOTIFICATIONS_QUEUE_URL: b.queueUrls.awsSmsNotifications,
      AWS_SMS_NOTIFICATIONS_DLQ_URL: b.deadLetterQueueUrls.awsSmsNotifications,
      ...failover(b),
    }),
    trigger: { kind: 'http', routes: ['GET /console/operations', 'GET /console/operations/{proxy+}', 'POST /console/operations/{proxy+}'], authorizer: 'none' },
    // As the dead letters API: a redrive sends each dead letter back to the queue it came from. No
    // secret: sign-in is the console function's (this one only reads sessions), and the providers'
    // view reads no provider secret, as the providers API.
    access: { table: 'readwrite', appendsAudit: true, deadLetters: queueIds, sendsTo: queueIds },
    // A redrive moves messages for up to 20 s (REDRIVE_TIME_BUDGET_MS), within API Gateway's 30.
    timeoutSeconds: 29,
    memoryMb: 1024,
  }),
  // The console's CSS, scripts and images: files of the bundle, named by their content's hash, so
  // they are cached for a year. Touches nothing, so it never needs a grant.
  consoleAssets: defineFunction({
    description: "The web console's static assets (CSS, scripts, images), by content hash",
    entry: 'functions/http/console-assets.ts',
    envSchema: baseEnvSchema,
    environment: base,
    trigger: { kind: 'http', routes: ['GET /console/assets/{file}'], authorizer: 'none' },
    access: {},
    timeoutSeconds: 5,
    memoryMb: 256,
  }),
} satisfies Record<string, FunctionDefinition<any>>;
