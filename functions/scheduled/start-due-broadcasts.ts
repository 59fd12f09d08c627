import { schedulerEnvSchema } from '../../shared/config/env.js';
import type { FanOutTask } from '../../shared/domain/jobs.js';
import { sendWindow } from '../../shared/sending/send-window.js';
import { scheduledFunction } from '../../shared/runtime/scheduled-function.js';
import { startDueBroadcasts } from '../../shared/broadcasts/broadcast-start.js';
import { sweepStalledBroadcasts } from '../../shared/broadcasts/stalled-broadcasts.js';
import { coreDependencies, jobQueue } from '../wiring.js';

/**
 * Every minute: starts the scheduled broadcasts whose time (or the end of quiet hours) has come,
 * then settles (or reports) sending broadcasts whose counters stood still.
 */
export const handler = scheduledFunction({
  envSchema: schedulerEnvSchema,
  dependencies: (env) => ({
    ...coreDependencies(env),
    fanOutTasks: jobQueue<FanOutTask>(env.FAN_OUT_QUEUE_URL),
    topicShards: env.TOPIC_SHARDS,
    window: sendWindow(env.QUIET_HOURS, env.TIME_ZONE),
  }),
  run: async (deps) => {
    // Both run even if one fails, so a start that keeps failing never stops the sweep (or the
    // reverse); the first failure still fails the run, for the function's error alarm.
    const runs = await Promise.allSettled([startDueBroadcasts(deps), sweepStalledBroadcasts(deps)]);
    const failed = runs.find((run) => run.status === 'rejected');
    if (failed) throw failed.reason;
  },
});
