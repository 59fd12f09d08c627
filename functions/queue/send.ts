import { awsClients } from '../../shared/adapters/aws-clients.js';
import { DynamoProviderHealthStore } from '../../shared/adapters/dynamo/provider-health-store.js';
import { systemClock } from '../../shared/adapters/ids.js';
import { ConfiguredProviderDirectory, providerRegistry, withRecordingSandbox } from '../../shared/adapters/providers/registry.js';
import { RecordingSandboxProvider } from '../../shared/adapters/providers/sandbox/recording-adapter.js';
import { providerSettingsSource } from '../../shared/adapters/providers/settings-source.js';
import { senderIdentitySource } from '../../shared/adapters/providers/sender-identities.js';
import { SqsRetryScheduler } from '../../shared/adapters/sqs/sqs-job-queue.js';
import { DynamoPacerStore } from '../../shared/pacing/dynamo/dynamo-pacer-store.js';
import { heldForSeconds, MAX_IN_FLIGHT_SENDS } from '../../shared/pacing/run-limits.js';
import { SchedulePacer } from '../../shared/pacing/schedule-pacer.js';
import { crierMetrics } from '../../shared/platform/powertools-metrics.js';
import type { SendJob } from '../../shared/domain/jobs.js';
import { senderEnvSchema } from '../../shared/config/env.js';
import { sendJobSchema } from '../../shared/domain/jobs.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { retryDelaySeconds } from '../../shared/domain/retry-policy.js';
import { sendRetryPolicy } from '../catalog.js';
import { HeldForQuietHoursError, RetryLaterError, sendBroadcastBatch, sendReply } from '../../shared/sending/send.js';
import { sendWindow } from '../../shared/sending/send-window.js';
import { ProviderFailover } from '../../shared/sending/provider-failover.js';
import { coreDependencies, jobQueue } from '../wiring.js';

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
          pacer: new SchedulePacer(new DynamoPacerStore(awsClients().documents, env.TABLE_NAME)),
          sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
          maxInFlight: MAX_IN_FLIGHT_SENDS,
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
        // Hidden until quiet hours end.
        await deps.retries.retryAfter(record.receiptHandle, heldForSeconds(error.until, Date.now()), record.eventSourceARN);
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
