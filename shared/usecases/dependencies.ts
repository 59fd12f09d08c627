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

export interface InboundSettings {
  /** Who runs the service, as HELP says it ("Cardiff Council alerts"). */
  serviceName: string;
  /** Where a resident can reach a person (a phone number or web address), as HELP says it. */
  contact: string;
  /** Messages from one resident in five minutes before replies stop for a while. */
  floodLimit: number;
}

export interface InboundDependencies extends CoreDependencies {
  replies: JobQueue<ReplySendJob>;
  settings: InboundSettings;
}

export interface BroadcastDependencies extends CoreDependencies {
  fanOutTasks: JobQueue<FanOutTask>;
  topicShards: number;
}

export interface FanOutDependencies extends CoreDependencies {
  sendQueues: Record<Priority, JobQueue<SendJob>>;
  recipientsPerJob: number;
}
