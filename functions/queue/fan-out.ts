import { fanOutEnvSchema } from '../../shared/config/env.js';
import { fanOutTaskSchema, type FanOutTask, type SendJob } from '../../shared/domain/jobs.js';
import { queueFunction } from '../../shared/runtime/queue-function.js';
import { fanOutShards } from '../../shared/broadcasts/fan-out.js';
import { coreDependencies, jobQueue } from '../wiring.js';

export const handler = queueFunction({
  envSchema: fanOutEnvSchema,
  dependencies: (env) => ({
    ...coreDependencies(env),
    sendQueues: { urgent: jobQueue<SendJob>(env.SEND_URGENT_QUEUE_URL), normal: jobQueue<SendJob>(env.SEND_BULK_QUEUE_URL) },
    fanOutTasks: jobQueue<FanOutTask>(env.FAN_OUT_QUEUE_URL),
    recipientsPerJob: env.RECIPIENTS_PER_SEND_MESSAGE,
  }),
  jobSchema: fanOutTaskSchema,
  processJob: (task, _record, deps) => fanOutShards(deps, task),
});
