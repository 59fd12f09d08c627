import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { systemClock } from '../../shared/adapters/ids.js';
import { ConfiguredProviderDirectory, providerRegistry, withRecordingSandbox } from '../../shared/adapters/providers/registry.js';
import { RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { senderIdentitySource } from '../../shared/adapters/providers/sender-identities.js';
import { SqsRetryScheduler } from '../../shared/adapters/sqs/sqs-job-queue.js';
import { DynamoSendPacer } from '../../shared/adapters/dynamo/send-pacer.js';
import { crierMetrics } from '../../shared/platform/powertools-metrics.js';
import type { SendJob } from '../../shared/domain/jobs.js';
import { senderEnvSchema } from '../../shared/config/env.js';
import { sendJobSchema } from '../../shared/domain/jobs.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { retryDelaySeconds } from '../../shared/domain/retry-policy.js';
import { sendRetryPolicy } from '../catalog.js';
import { HeldForQuietHoursError, RetryLaterError, sendBroadcastBatch, sendReply } from '../../shared/usecases/send.js';
import { sendWindow } from '../../shared/domain/send-window.js';
import { ProviderFailover } from '../../shared/usecases/provider-failover.js';
import { coreDependencies, jobQueue } from '../wiring.js';

/** SQS's longest visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 3600 - 60;

export const handler = queueFunction({
  envSchema: senderEnvSchema,
  dependencies: (env) => {
    // One source for both: the identities are resolved from the same settings the providers are built from.
    const settings = providerSettingsSource(env, () => awsClients().secrets);
    return {
      send: {
        ...coreDependencies(env),
        senders: senderIdentitySource(settings, env),
        providers: new ConfiguredProviderDirectory(
          settings,
          // Health is shared by every sender invocation through the table, so one shift moves them all.
          new ProviderFailover(new DynamoProviderHealthStore(awsClients().documents, env.TABLE_NAME), systemClock, {
            errors: env.FAILOVER_ERRORS,
            windowSeconds: env.FAILOVER_WINDOW_SECONDS,
            cooldownSeconds: env.FAILOVER_COOLDOWN_SECONDS,
          }, { metrics: crierMetrics() }),
          withRecordingSandbox(providerRegistry, () => new RecordingSandboxProvider(awsClients().documents, env.TABLE_NAME)),
        ),
        prices: env.PRICE_TABLE,
        statusCallbackBaseUrl: env.STATUS_CALLBACK_URL,
        window: sendWindow(env.QUIET_HOURS, env.TIME_ZONE),
        pacing: {
          pacer: new DynamoSendPacer(awsClients().documents, env.TABLE_NAME),
          sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
          // Not a sizing: each run sizes itself from its sender's rate and what it measures
          // (shared/sending/send-pipeline.ts). Only a bound, should a provider stop answering
          // (100 msg/s at a 2.5 s answer time would reach it).
          maxInFlight: 256,
        },
        sendQueues: { urgent: jobQueue<SendJob>(env.SEND_URGENT_QUEUE_URL), normal: jobQueue<SendJob>(env.SEND_BULK_QUEUE_URL) },
        retry: sendRetryPolicy,
      },
      retries: new SqsRetryScheduler(awsClients().sqs),
    };
  },
  jobSchema: sendJobSchema,
  oneRecordAtATime: true,
  processJob: async (job, record, deps, context) => {
    const run = { deadline: Date.now() + context.getRemainingTimeInMillis(), jobId: record.messageId };
    try {
      if (job.kind === 'broadcast') await sendBroadcastBatch(deps.send, job, run);
      else await sendReply(deps.send, job, run);
    } catch (error) {
      if (error instanceof HeldForQuietHoursError) {
        // Hidden until quiet hours end (SQS allows 12 hours at most; quiet hours are shorter).
        const seconds = Math.ceil((error.until.getTime() - Date.now()) / 1000);
        await deps.retries.retryAfter(record.receiptHandle, Math.min(Math.max(seconds, 1), MAX_VISIBILITY_SECONDS), record.eventSourceARN);
      } else if (error instanceof RetryLaterError) {
        // A reply the provider could not take: back off before SQS hands the record out again;
        // after the policy's deadLetterAfterReceives it goes to the DLQ. (A broadcast batch hands its rest back itself.)
        const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? '1');
        await deps.retries.retryAfter(record.receiptHandle, retryDelaySeconds(sendRetryPolicy.backoff, receiveCount), record.eventSourceARN);
      }
      throw error;
    }
  },
});
