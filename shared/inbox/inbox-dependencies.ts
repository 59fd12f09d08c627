import type { ReplySendJob } from '../domain/jobs.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/** What replying from the inbox needs: the stores, and the urgent lane every reply to a resident goes out on. */
export interface InboxReplyDependencies extends CoreDependencies {
  replies: JobQueue<ReplySendJob>;
}
