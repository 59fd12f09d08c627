import { schedulerEnvSchema } from '../../shared/config/env.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import { sendWindow } from '../../shared/domain/send-window.js';
import { scheduledFunction } from '../../shared/runtime/scheduled-function.js';
import { startDueBroadcasts } from '../../shared/usecases/broadcast-start.js';
import { coreDependencies, jobQueue } from '../wiring.js';

/** Every minute: starts the scheduled broadcasts whose time (or the end of quiet hours) has come. */
export const handler = scheduledFunction({
  envSchema: schedulerEnvSchema,
  dependencies: (env) => ({
    ...coreDependencies(env),
    fanOutTasks: jobQueue<FanOutTask>(env.FAN_OUT_QUEUE_URL),
    topicShards: env.TOPIC_SHARDS,
    window: sendWindow(env.QUIET_HOURS, env.TIME_ZONE),
  }),
  run: async (deps) => {
    await startDueBroadcasts(deps);
  },
});
