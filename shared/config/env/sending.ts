import { z } from 'zod';
import { positiveInt, tableEnvSchema } from './base.js';
import { broadcastTimingEnvSchema, priceTableEnvSchema } from './broadcast-rules.js';
import { failoverEnvSchema, providerEnvSchema, sendersEnvSchema, sendRatesEnvSchema } from './providers.js';

/** Every minute: starts the scheduled broadcasts whose time has come. */
export const schedulerEnvSchema = tableEnvSchema.extend({ FAN_OUT_QUEUE_URL: z.url() }).extend(broadcastTimingEnvSchema.shape);

/** How full the fan-out fills the send queues' jobs. */
export const sendBatchEnvShape = {
  /**
   * Recipients carried by one send-queue message. The fan-out fills every job from all the shards
   * a task reads (shared/broadcasts/fan-out.ts), so jobs are this full but for one short job per
   * topic per round of pages. Each job costs a receive and a delete whatever its size (about 8
   * SQS requests per 1,000 recipients at 250, 20 at 100). At the default lane widths (two
   * functions per sender up to 40 msg/s) a job of 250, ~85% of it SMS, takes a 10 msg/s sender's
   * function about 45 s and a 5 msg/s one's about 90 s, inside the 110 s a 120 s function sends
   * for; a slower sender's function hands the rest back to the queue. A recipient is ~50 bytes,
   * so even 500 is far under SQS's 256 KiB.
   */
  RECIPIENTS_PER_SEND_MESSAGE: positiveInt.max(500).default(250),
};

export const fanOutEnvSchema = tableEnvSchema
  .extend({ FAN_OUT_QUEUE_URL: z.url(), SEND_URGENT_QUEUE_URL: z.url(), SEND_BULK_QUEUE_URL: z.url() })
  .extend(sendBatchEnvShape);

export const senderEnvSchema = tableEnvSchema
  .extend(providerEnvSchema.shape)
  .extend(failoverEnvSchema.shape)
  // Where Twilio is told to post each message's status (crier adds `?messageId=`): the status
  // webhook's own function URL in AWS, the gateway's route locally.
  .extend({ STATUS_CALLBACK_URL: z.url() })
  .extend(broadcastTimingEnvSchema.shape)
  .extend(priceTableEnvSchema.shape)
  .extend(sendRatesEnvSchema.shape)
  .extend(sendersEnvSchema.shape)
  // Where a batch's unfinished rest goes back to, on its own lane.
  .extend({ SEND_URGENT_QUEUE_URL: z.url(), SEND_BULK_QUEUE_URL: z.url() });

export type FanOutEnv = z.infer<typeof fanOutEnvSchema>;
export type SchedulerEnv = z.infer<typeof schedulerEnvSchema>;
export type SenderEnv = z.infer<typeof senderEnvSchema>;
