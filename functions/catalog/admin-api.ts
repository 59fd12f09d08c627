import {
  adminEnvSchema,
  authorizerEnvSchema,
  broadcastsEnvSchema,
  deadLettersEnvSchema,
  keysEnvSchema,
  providersApiEnvSchema,
  residentsApiEnvSchema,
  subscribersEnvSchema,
} from '../../shared/config/env.js';
import { defineFunction, type FunctionDefinition } from '../catalog-types.js';
import { queueIds } from '../../shared/domain/queues.js';
import { admin, bootstrapKey, broadcastsEnvironment, failover, provider, sendRates, senders } from './environment.js';

/** The admin API (/v1, behind API keys): its authorizer and one function for each group of routes. */
export const adminApiFunctions = {
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
} satisfies Record<string, FunctionDefinition<any>>;
