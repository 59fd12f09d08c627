import { fanOutEnvSchema, senderEnvSchema } from '../../shared/config/env.js';
import { defineFunction, type DeploymentSettings, type FunctionDefinition, secretsOfProvidersInUse } from '../catalog-types.js';
import { sendBatchFragment } from '../env-fragments.js';
import { bulkSenderConcurrency, SENDER_MEMORY_MB, urgentSenderConcurrency } from '../sender-concurrency.js';
import type { BackoffRetryPolicy } from '../../shared/domain/retry-policy.js';
import { broadcastTiming, failover, prices, provider, senders, sendRates, table, twilioStatusCallbackUrl } from './environment.js';

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
    memoryMb: SENDER_MEMORY_MB[queue],
  });
}

/** How a broadcast goes out: the fan-out into batches, and the two lanes of senders. */
export const sendingFunctions = {
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
