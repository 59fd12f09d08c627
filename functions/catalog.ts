import {
  adminEnvSchema,
  authorizerEnvSchema,
  awsSmsNotificationsEnvSchema,
  baseEnvSchema,
  broadcastsEnvSchema,
  consoleEnvSchema,
  deadLettersEnvSchema,
  consoleOperationsEnvSchema,
  fanOutEnvSchema,
  keysEnvSchema,
  providersApiEnvSchema,
  residentsApiEnvSchema,
  schedulerEnvSchema,
  senderEnvSchema,
  statusWebhookEnvSchema,
  subscribersEnvSchema,
  tableEnvSchema,
  webhookEnvSchema,
  whatsappWebhookEnvSchema,
} from '../shared/config/env.js';
import {
  baseFragment,
  broadcastTimingFragment,
  departmentLimitsFragment,
  failoverFragment,
  priceTableFragment,
  providerListFragment,
  providersFragment,
  residentTextsFragment,
  sendBatchFragment,
  sendersFragment,
  sendRatesFragment,
  tableFragment,
} from './env-fragments.js';
import {
  defineFunction,
  type DeploymentBindings,
  type DeploymentSettings,
  type FunctionDefinition,
  type HttpTrigger,
  type QueueDefinition,
  type QueueId,
  type RouteKey,
  type RouteThrottle,
  type ScheduleTrigger,
  type SecretId,
  secretsOfProvidersInUse,
} from './catalog-types.js';
import { bulkSenderConcurrency, urgentSenderConcurrency } from './sender-concurrency.js';
import { queueIds } from '../shared/domain/queues.js';
import type { BackoffRetryPolicy } from '../shared/domain/retry-policy.js';

/**
 * The one description of crier's functions. The CDK stack (infra/) and the local stack (local/)
 * are both built from this file, so they cannot drift: same entries, same triggers, same
 * environment, and in AWS exactly the access listed here.
 */

const base = baseFragment.environment;
const table = (b: DeploymentBindings) => ({ ...base(b), ...tableFragment.environment(b) });
/** Which providers carry each channel, in order or by weight (the local stack checks them before it starts). */
export const providerListEnvironment = providerListFragment.environment;
/** The provider lists, the providers' settings that are not secret, and the ARNs of exactly the provider secrets named. */
const provider = (b: DeploymentBindings, secrets: readonly SecretId[]) => providersFragment(secrets).environment(b);
const failover = (b: DeploymentBindings) => failoverFragment.environment(b.settings);
/** What every function that answers residents' texts needs. */
export const residentReplies = residentTextsFragment.environment;
const broadcastTiming = (b: DeploymentBindings) => broadcastTimingFragment.environment(b.settings);
const departmentLimits = (b: DeploymentBindings) => departmentLimitsFragment.environment(b.settings);
const prices = (b: DeploymentBindings) => priceTableFragment.environment(b.settings);
const sendRates = (b: DeploymentBindings) => sendRatesEnvironment(b.settings);
export const sendRatesEnvironment = sendRatesFragment.environment;
/**
 * The identities messages go from, for the senders only: a reply job carries the address the
 * resident wrote to, and the sender (which knows the provider that carries it) picks the identity.
 */
const senders = (b: DeploymentBindings) => sendersEnvironment(b.settings);
export const sendersEnvironment = sendersFragment.environment;
const admin = table;
/** The bootstrap operator key's secret: read by the authorizer, written (never read) by a rotation. */
const bootstrapKey = (b: DeploymentBindings) => (b.secretArns.bootstrapKey ? { BOOTSTRAP_KEY_SECRET_ARN: b.secretArns.bootstrapKey } : {});

/** What making, previewing and releasing broadcasts needs: the broadcasts API's and the console's. */
function broadcastsEnvironment(b: DeploymentBindings) {
  return {
    ...admin(b),
    FAN_OUT_QUEUE_URL: b.queueUrls.fanOut,
    ...broadcastTiming(b),
    ...departmentLimits(b),
    ...prices(b),
    // For the preview's STOP footer: what the senders would send a department's broadcast from
    // (numbers and ids, no credential: it reads no provider secret).
    ...provider(b, []),
    ...sendRates(b),
    ...senders(b),
  };
}

/** Who signs staff in: the identity provider, the console's client there and its secret. */
const signIn = (b: DeploymentBindings) => ({
  OIDC_ISSUER: b.signIn.issuer,
  OIDC_CLIENT_ID: b.signIn.clientId,
  ...(b.signIn.clientSecret ? { OIDC_CLIENT_SECRET: b.signIn.clientSecret } : {}),
  ...(b.secretArns.consoleClient ? { OIDC_CLIENT_SECRET_ARN: b.secretArns.consoleClient } : {}),
  ...(b.signIn.firstOperatorEmail ? { FIRST_OPERATOR_EMAIL: b.signIn.firstOperatorEmail } : {}),
});

/**
 * How the senders retry, on either lane. A batch that meets a retryable provider failure hands
 * its rest back as a new job, an attempt more, after the backoff; at the last attempt what still
 * fails is recorded as failed (retries_exhausted). A reply is retried by SQS itself, hidden for
 * the backoff after each receive, until the dead-letter queue takes it.
 */
export const sendRetryPolicy = {
  attempts: 8,
  backoff: { baseSeconds: 2, capSeconds: 15 * 60 },
  deadLetterAfterReceives: 8,
} as const satisfies BackoffRetryPolicy;

/**
 * The two lanes run the same sender code as separate functions, each with its own concurrency,
 * so bulk sending can never use up the capacity an urgent broadcast needs.
 */
function senderFunction(description: string, queue: 'sendUrgent' | 'sendBulk', maxConcurrency: (settings: DeploymentSettings) => number) {
  return defineFunction({
    description,
    entry: 'functions/queue/send.ts',
    envSchema: senderEnvSchema,
    environment: (b) => ({
      ...table(b),
      ...provider(b, secretsOfProvidersInUse(b.settings)),
      ...failover(b),
      STATUS_CALLBACK_URL: twilioStatusCallbackUrl(b),
      ...broadcastTiming(b),
      ...prices(b),
      ...sendRates(b),
      ...senders(b),
      SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent,
      SEND_BULK_QUEUE_URL: b.queueUrls.sendBulk,
    }),
    // One job an invocation: a job of 250 recipients paced to its share of the sender's rate can
    // take tens of seconds, and a second job behind it would only wait for the deadline.
    trigger: { kind: 'queue', queue, batchSize: 1, maxConcurrency, retry: sendRetryPolicy },
    // sendsSms: either lane may send through AWS End User Messaging SMS when a deployment picks it.
    // sendsTo: a batch's unfinished rest goes back on its own lane.
    // secrets: those of the providers the deployment uses, and no other.
    access: { table: 'readwrite', secrets: secretsOfProvidersInUse, sendsSms: true, sendsTo: [queue] },
    // Long enough for a job of 250 at a 10 msg/s sender's share of its rate (slower senders hand the rest back); the visibility timeout is 6× this.
    timeoutSeconds: 120,
    memoryMb: 512,
  });
}

/** Where Twilio posts a message's status: the path of the `twilioStatus` function's route. */
const twilioStatusPath = '/webhooks/twilio/status';
/**
 * The status callback crier gives Twilio with every message it sends: the status function's own
 * function URL (HttpTrigger.functionUrl), so the two receipts of each message do not go through
 * API Gateway. In AWS it is a token of the status function's URL, known once deployed.
 */
const twilioStatusCallbackUrl = (b: DeploymentBindings) => `${functionUrlOf(b, 'twilioStatus')}${twilioStatusPath}`;

/** Where a function served on its own function URL is reached; a deployment that gives none is wrong, not defaulted. */
function functionUrlOf(b: DeploymentBindings, functionId: string): string {
  const url = b.functionUrls[functionId];
  if (url === undefined) throw new Error(`The deployment gives no function URL for ${functionId}, which the catalog serves on one.`);
  return url;
}

/**
 * The webhooks' own limits at API Gateway, apart from the admin API's. Receipts: during a large
 * broadcast a provider posts two or three status callbacks per message, and a throttled callback
 * is not retried, so the limit sits well above the senders' combined rate. Residents' texts come
 * far slower than receipts, but a throttled one is lost (it may be a STOP): the limit is kept
 * high all the same, with room for a burst of replies after a broadcast.
 */
const webhookThrottles = {
  inbound: { ratePerSecond: 200, burst: 400 },
  receipts: { ratePerSecond: 500, burst: 1000 },
} as const satisfies Record<string, RouteThrottle>;

/**
 * Reserved concurrency of the webhooks: their throttle's rate times a generous 0.2-0.25 s a
 * request (a warm webhook takes tens of milliseconds: a few DynamoDB writes and one SQS send).
 * 250 in all, out of the account's 1,000 by default; Lambda keeps at least 100 unreserved.
 */
const webhookConcurrency = { inbound: 50, receipts: 100 } as const;

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

export const functionCatalog = {
  health: defineFunction({
    description: 'Liveness probe',
    entry: 'functions/http/health.ts',
    envSchema: baseEnvSchema,
    environment: base,
    trigger: { kind: 'http', routes: ['GET /health'], authorizer: 'none' },
    access: {},
    timeoutSeconds: 3,
    memoryMb: 256,
  }),
  twilioInbound: defineFunction({
    description: 'Twilio messaging webhook: residents texting keywords',
    entry: 'functions/http/twilio-inbound.ts',
    envSchema: webhookEnvSchema,
    environment: (b) => ({
      ...table(b),
      ...provider(b, ['twilio']),
      PUBLIC_BASE_URL: b.publicBaseUrl,
      ...residentReplies(b),
    }),
    trigger: { kind: 'http', routes: ['POST /webhooks/twilio/inbound'], authorizer: 'none', throttle: webhookThrottles.inbound },
    // The Twilio secret's auth token checks each request's signature.
    access: { table: 'readwrite', sendsTo: ['sendUrgent'], secrets: ['twilio'] },
    timeoutSeconds: 10,
    memoryMb: 512,
    reservedConcurrency: webhookConcurrency.inbound,
  }),
  countReceipts: defineFunction({
    description: 'Counts delivery receipts on their broadcasts, a batch of the table\'s changes at a time',
    entry: 'functions/stream/count-receipts.ts',
    envSchema: tableEnvSchema,
    environment: (b) => ({ ...table(b) }),
    trigger: {
      kind: 'tableStream',
      batchSize: 1000,
      // A broadcast's receipts a few seconds late on its counters, for one write per batch instead of one each.
      batchingWindowSeconds: 5,
      // Receipts are writes to a broadcast's message (MODIFY); every other change passes unseen.
      filter: { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['message'] }, broadcastId: { S: [{ exists: true }] } } } },
    },
    access: { table: 'readwrite' },
    timeoutSeconds: 60,
    memoryMb: 256,
  }),
  twilioStatus: defineFunction({
    description: 'Twilio status callbacks: delivery receipts',
    entry: 'functions/http/twilio-status.ts',
    envSchema: statusWebhookEnvSchema,
    // PUBLIC_BASE_URL: a callback through the API Gateway route is checked against it; one to the
    // function URL, against the function URL it came to (functions/webhooks.ts).
    environment: (b) => ({ ...table(b), ...provider(b, ['twilio']), PUBLIC_BASE_URL: b.publicBaseUrl }),
    // Two receipts a message ("sent", "delivered"): on the function's own URL they cost the Lambda
    // request alone, not API Gateway's $1 a million as well. The route stays for callbacks of
    // messages sent before a deployment had the function URL (a receipt can come days later).
    trigger: {
      kind: 'http',
      routes: [`POST ${twilioStatusPath}`],
      authorizer: 'none',
      throttle: webhookThrottles.receipts,
      functionUrl: true,
    },
    access: { table: 'readwrite', secrets: ['twilio'] },
    timeoutSeconds: 10,
    // Two a message, so its size matters: a receipt is a signature check and one or two table
    // requests, mostly waiting on DynamoDB, and Lambda bills memory × time. Half of 512 MB halves
    // the waiting's cost; the little CPU it needs takes longer at a smaller share, at the same cost.
    memoryMb: 256,
    // On the function URL, with no WAF or route throttle in front, this is what bounds the
    // receipts: at most this many run at once (about 500 a second at 0.2 s each); above it Lambda
    // answers 429, which Twilio does not retry, so it sits well above the senders' combined rate.
    reservedConcurrency: webhookConcurrency.receipts,
  }),
  whatsappWebhook: defineFunction({
    description: 'WhatsApp Cloud API webhook: verification handshake, residents texting keywords, delivery receipts',
    entry: 'functions/http/whatsapp-webhook.ts',
    envSchema: whatsappWebhookEnvSchema,
    environment: (b) => ({
      ...table(b),
      ...provider(b, ['whatsappCloud']),
      PUBLIC_BASE_URL: b.publicBaseUrl,
      ...residentReplies(b),
    }),
    // Texts and receipts arrive on one URL: sized for the receipts, the larger of the two.
    trigger: {
      kind: 'http',
      routes: ['GET /webhooks/whatsapp', 'POST /webhooks/whatsapp'],
      authorizer: 'none',
      throttle: webhookThrottles.receipts,
    },
    // The WhatsApp Cloud secret's verify token and app secret answer the handshake and check signatures.
    access: { table: 'readwrite', sendsTo: ['sendUrgent'], secrets: ['whatsappCloud'] },
    timeoutSeconds: 10,
    memoryMb: 512,
    reservedConcurrency: webhookConcurrency.receipts,
  }),
  awsSmsNotifications: defineFunction({
    description: 'AWS End User Messaging SMS notifications from SNS: residents texting keywords, delivery receipts',
    entry: 'functions/queue/aws-sms-notifications.ts',
    envSchema: awsSmsNotificationsEnvSchema,
    environment: (b) => ({ ...table(b), ...residentReplies(b), AWS_SMS_TOPIC_ARNS: b.awsSmsTopicArn }),
    // Ten notifications an invocation, a few invocations at once: a resident's text is a handful
    // of writes and one reply on the urgent queue, and SNS delivers in no particular order anyway.
    trigger: { kind: 'queue', queue: 'awsSmsNotifications', batchSize: 10, maxConcurrency: 5, retry: { deadLetterAfterReceives: 5 } },
    // No provider secret: nothing here calls a provider; replies go through the urgent lane.
    access: { table: 'readwrite', sendsTo: ['sendUrgent'] },
    timeoutSeconds: 30,
    memoryMb: 512,
  }),
  // Runs before every admin route. Read-only: checking a key never needs to write. No cache in
  // API Gateway (see CrierHttpApi), so a revoked key stops working at once.
  authorizer: defineFunction({
    description: 'Admin API authorizer: checks the API key of every /v1 request before its route runs',
    entry: 'functions/http/authorizer.ts',
    envSchema: authorizerEnvSchema,
    environment: (b) => ({ ...admin(b), ...bootstrapKey(b) }),
    trigger: { kind: 'authorizer' },
    // The one function that reads the bootstrap key: the routes behind it take its word for the caller.
    access: { table: 'read', secrets: ['bootstrapKey'] },
    timeoutSeconds: 5,
    memoryMb: 512,
  }),
  topicsApi: defineFunction({
    description: 'Admin API: topics',
    entry: 'functions/http/topics-api.ts',
    envSchema: adminEnvSchema,
    environment: admin,
    trigger: {
      kind: 'http',
      routes: ['POST /v1/topics', 'GET /v1/topics', 'GET /v1/topics/{id}', 'PATCH /v1/topics/{id}', 'POST /v1/topics/{id}/archive'],
      authorizer: 'apiKey',
    },
    access: { table: 'readwrite', appendsAudit: true },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
  // Saved templates: the department's own wording, no resident's data. Its own function, so the
  // topics' routes never gain these and these reach nothing but the table and the audit log.
  templatesApi: defineFunction({
    description: 'Admin API: saved message templates and their versions',
    entry: 'functions/http/templates-api.ts',
    envSchema: adminEnvSchema,
    environment: admin,
    trigger: {
      kind: 'http',
      routes: [
        'GET /v1/templates',
        'POST /v1/templates',
        'GET /v1/templates/{id}',
        'PUT /v1/templates/{id}',
        'POST /v1/templates/{id}/archive',
        'GET /v1/templates/{id}/versions',
      ],
      authorizer: 'apiKey',
    },
    access: { table: 'readwrite', appendsAudit: true },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
  subscribersApi: defineFunction({
    description: 'Admin API: subscribers',
    entry: 'functions/http/subscribers-api.ts',
    envSchema: subscribersEnvSchema,
    environment: (b) => ({
      ...admin(b),
      ...(b.secretArns.phoneHashKey ? { PHONE_HASH_KEY_SECRET_ARN: b.secretArns.phoneHashKey } : {}),
    }),
    trigger: {
      kind: 'http',
      routes: ['GET /v1/subscribers/{phone}', 'GET /v1/subscribers/{phone}/messages', 'DELETE /v1/subscribers/{phone}', 'POST /v1/subscribers/import'],
      authorizer: 'apiKey',
    },
    // phoneHashKey: erasure tombstones and an import's check against them are keyed with it; no
    // other function hashes numbers, so no other reads it.
    access: { table: 'readwrite', appendsAudit: true, secrets: ['phoneHashKey'] },
    // An import of 10,000 rows is some 50,000 writes, and an erasure reads through the topics'
    // broadcasts: both need more than the 10 s of the other admin routes, within API Gateway's 30.
    timeoutSeconds: 29,
    memoryMb: 512,
  }),
  broadcastsApi: defineFunction({
    description: 'Admin API: broadcasts',
    entry: 'functions/http/broadcasts-api.ts',
    envSchema: broadcastsEnvSchema,
    environment: broadcastsEnvironment,
    trigger: {
      kind: 'http',
      routes: [
        'POST /v1/broadcasts',
        'GET /v1/broadcasts',
        'POST /v1/broadcasts/preview',
        'GET /v1/broadcasts/{id}/preview',
        'GET /v1/broadcasts/{id}',
        'GET /v1/broadcasts/{id}/report',
        'POST /v1/broadcasts/{id}/submit',
        'POST /v1/broadcasts/{id}/approve',
        'POST /v1/broadcasts/{id}/reject',
        'POST /v1/broadcasts/{id}/cancel',
        'GET /v1/sandbox/messages',
        'GET /v1/departments/{id}/limits',
        'PUT /v1/departments/{id}/limits',
        'GET /v1/usage',
      ],
      authorizer: 'apiKey',
    },
    access: { table: 'readwrite', appendsAudit: true, sendsTo: ['fanOut'] },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
  residentsApi: defineFunction({
    description: "Admin API: departments' inboxes (and replying to a resident from one) and the wording of replies to residents",
    entry: 'functions/http/residents-api.ts',
    envSchema: residentsApiEnvSchema,
    environment: (b) => ({ ...admin(b), SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent, TIME_ZONE: b.settings.timeZone }),
    trigger: {
      kind: 'http',
      routes: [
        'GET /v1/inbox',
        // Before GET /v1/inbox/{id}: the local stack tries routes in this order (API Gateway prefers the literal anyway).
        'GET /v1/inbox/export',
        'POST /v1/inbox/handled',
        'GET /v1/inbox/{id}',
        'POST /v1/inbox/{id}/handled',
        'POST /v1/inbox/{id}/reopen',
        'POST /v1/inbox/{id}/assign',
        'POST /v1/inbox/{id}/notes',
        'POST /v1/inbox/{id}/reply',
        'GET /v1/replies',
        'PUT /v1/replies/{language}/{replyId}',
        'DELETE /v1/replies/{language}/{replyId}',
      ],
      authorizer: 'apiKey',
    },
    // sendUrgent: a reply to a resident from the inbox goes out on the urgent lane, as every reply does.
    access: { table: 'readwrite', appendsAudit: true, sendsTo: ['sendUrgent'] },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
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
      ...signIn(b),
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
  // One function for access administration (keys, staff and the audit log): operators only, rarely
  // called, and kept apart from the functions staff use every day.
  keysApi: defineFunction({
    description: 'Admin API: API keys, the bootstrap key\'s rotation, staff and the audit log',
    entry: 'functions/http/keys-api.ts',
    envSchema: keysEnvSchema,
    environment: (b) => ({
      ...admin(b),
      ...bootstrapKey(b),
      ...(b.operatorKeyFile ? { OPERATOR_KEY_FILE: b.operatorKeyFile } : {}),
    }),
    trigger: {
      kind: 'http',
      routes: [
        'POST /v1/keys',
        'GET /v1/keys',
        'POST /v1/keys/{id}/revoke',
        'POST /v1/keys/bootstrap/rotate',
        'POST /v1/staff',
        'GET /v1/staff',
        'PATCH /v1/staff/{id}',
        'DELETE /v1/staff/{id}',
        'GET /v1/audit',
      ],
      authorizer: 'apiKey',
    },
    // writesSecrets: a rotation puts the bootstrap key's new value; it can never read the old one.
    access: { table: 'readwrite', appendsAudit: true, writesSecrets: ['bootstrapKey'] },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
  // Operators only, and the one function that may touch the dead-letter queues: apart from the
  // functions staff use every day, so their roles never gain that access.
  deadLettersApi: defineFunction({
    description: "Admin API: the queues' dead letters, shown and redriven",
    entry: 'functions/http/dead-letters-api.ts',
    envSchema: deadLettersEnvSchema,
    environment: (b) => ({
      ...admin(b),
      FAN_OUT_QUEUE_URL: b.queueUrls.fanOut,
      FAN_OUT_DLQ_URL: b.deadLetterQueueUrls.fanOut,
      SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent,
      SEND_URGENT_DLQ_URL: b.deadLetterQueueUrls.sendUrgent,
      SEND_BULK_QUEUE_URL: b.queueUrls.sendBulk,
      SEND_BULK_DLQ_URL: b.deadLetterQueueUrls.sendBulk,
      AWS_SMS_NOTIFICATIONS_QUEUE_URL: b.queueUrls.awsSmsNotifications,
      AWS_SMS_NOTIFICATIONS_DLQ_URL: b.deadLetterQueueUrls.awsSmsNotifications,
    }),
    trigger: { kind: 'http', routes: ['GET /v1/dead-letters', 'POST /v1/dead-letters/{queue}/redrive'], authorizer: 'apiKey' },
    // A redrive sends each dead letter back to the queue it came from, so it sends to every queue.
    access: { table: 'readwrite', appendsAudit: true, deadLetters: queueIds, sendsTo: queueIds },
    // A redrive moves messages for up to 20 s (REDRIVE_TIME_BUDGET_MS), within API Gateway's 30.
    timeoutSeconds: 29,
    memoryMb: 512,
  }),
  // Operators only, read only: the providers' health as the senders share it, each channel's list,
  // and its sender identities, resolved (as the senders do) from the providers' settings that are
  // not secret: it reads no provider secret, so no credential can ever be in the response.
  providersApi: defineFunction({
    description: "Admin API: each channel's providers, their state, failures and shifts",
    entry: 'functions/http/providers-api.ts',
    envSchema: providersApiEnvSchema,
    environment: (b) => ({ ...admin(b), ...provider(b, []), ...failover(b), ...sendRates(b), ...senders(b) }),
    trigger: { kind: 'http', routes: ['GET /v1/providers'], authorizer: 'apiKey' },
    access: { table: 'read' },
    timeoutSeconds: 10,
    memoryMb: 512,
  }),
  openApi: defineFunction({
    description: 'The OpenAPI document of the admin API',
    entry: 'functions/http/openapi.ts',
    envSchema: baseEnvSchema,
    environment: base,
    // Public, like the API's documentation: it describes the routes and grants nothing.
    trigger: { kind: 'http', routes: ['GET /v1/openapi.json'], authorizer: 'none' },
    access: {},
    timeoutSeconds: 5,
    memoryMb: 256,
  }),
  // Starts the scheduled broadcasts whose time (or the end of quiet hours) has come, and settles
  // or reports sending broadcasts whose counts stood still (stalled-broadcasts.ts). Its timeout
  // is well under the minute between runs, so two runs never overlap.
  scheduler: defineFunction({
    description: 'Every minute: starts the scheduled broadcasts whose time has come, and sweeps stalled ones',
    entry: 'functions/scheduled/start-due-broadcasts.ts',
    envSchema: schedulerEnvSchema,
    environment: (b) => ({ ...table(b), FAN_OUT_QUEUE_URL: b.queueUrls.fanOut, ...broadcastTiming(b) }),
    trigger: { kind: 'schedule', everyMinutes: 1 },
    access: { table: 'readwrite', sendsTo: ['fanOut'] },
    timeoutSeconds: 50,
    memoryMb: 512,
  }),
  fanOut: defineFunction({
    description: "Turns a topic's shards of a broadcast into full batches on a send queue",
    entry: 'functions/queue/fan-out.ts',
    envSchema: fanOutEnvSchema,
    environment: (b) => ({
      ...table(b),
      FAN_OUT_QUEUE_URL: b.queueUrls.fanOut,
      SEND_URGENT_QUEUE_URL: b.queueUrls.sendUrgent,
      SEND_BULK_QUEUE_URL: b.queueUrls.sendBulk,
      ...sendBatchFragment.environment(b.settings),
    }),
    // A task that keeps failing is received again after its visibility timeout, five times in all.
    trigger: { kind: 'queue', queue: 'fanOut', batchSize: 1, maxConcurrency: 16, retry: { deadLetterAfterReceives: 5 } },
    // fanOut: a bulk task takes turns, putting itself back on its own queue.
    access: { table: 'readwrite', sendsTo: ['fanOut', 'sendUrgent', 'sendBulk'] },
    timeoutSeconds: 120,
    memoryMb: 512,
  }),
  sendUrgent: senderFunction('Sends urgent broadcasts and replies to residents', 'sendUrgent', urgentSenderConcurrency),
  sendBulk: senderFunction('Sends normal-priority broadcasts', 'sendBulk', bulkSenderConcurrency),
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
