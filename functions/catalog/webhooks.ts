import {
  awsSmsNotificationsEnvSchema,
  statusWebhookEnvSchema,
  webhookEnvSchema,
  whatsappWebhookEnvSchema,
} from '../../shared/config/env.js';
import { defineFunction, type FunctionDefinition } from '../catalog-types.js';
import { provider, residentReplies, table, twilioStatusPath } from './environment.js';
import { webhookConcurrency, webhookThrottles } from './webhook-limits.js';

/** What the providers tell crier: residents' texts and delivery receipts, by webhook or (AWS End User Messaging SMS) by queue. */
export const webhookFunctions = {
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
} satisfies Record<string, FunctionDefinition<any>>;
