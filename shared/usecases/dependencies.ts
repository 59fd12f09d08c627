import type { ReplySendJob, SendJob, FanOutTask } from '../domain/jobs.js';
import type { Priority } from '../domain/model.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { Stores } from '../ports/stores.js';

/** What every use case may use. Each function adds the ports it needs on top. */
export interface CoreDependencies {
  stores: Stores;
  clock: Clock;
  ids: IdGenerator;
}

export interface InboundDependencies extends CoreDependencies {
  replies: JobQueue<ReplySendJob>;
}

export interface BroadcastDependencies extends CoreDependencies {
  fanOutTasks: JobQueue<FanOutTask>;
  topicShards: number;
}

export interface FanOutDependencies extends CoreDependencies {
  sendQueues: Record<Priority, JobQueue<SendJob>>;
  recipientsPerJob: number;
}
