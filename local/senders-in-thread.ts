import type { Worker } from 'node:worker_threads';
import type { FunctionId } from '../functions/catalog.js';
import type { QueueId } from '../functions/catalog-types.js';
import type { EventLoopTime } from './emulators-in-thread.js';
import type { ProvisionedQueue } from './provision.js';
import type { QueueConsumer } from './queue-poller.js';
import { eventLoopOf, typeScriptWorker, WorkerCloser } from './typescript-worker.js';

/*
 * The sending functions on a thread of their own. In AWS each sending function has a CPU of its
 * own; on the stack's one thread the senders' timers waited behind everything else the stack does
 * (delivery receipts, the table stream, fan-out, the gateway), and at 40 msg/s a slot could come
 * and go while its send waited to leave (npm run bench). On their own thread they wait only for
 * each other, as the functions of one lane share a sender's schedule in AWS.
 */

/** The queues whose functions run on the senders' thread: the two sending lanes. */
export const SENDER_QUEUES: ReadonlySet<QueueId> = new Set<QueueId>(['sendUrgent', 'sendBulk']);

/** One sending function, as the thread starts its consumer. */
export interface SenderFunction {
  id: FunctionId;
  queueId: QueueId;
  queue: ProvisionedQueue;
  /** Invocations at once: the trigger's own under the local stack's cap. */
  concurrency: number;
  timeoutMs: number;
}

export interface SendersThreadStart {
  functions: SenderFunction[];
  /**
   * A module the thread imports before it starts anything (the bench's instruments): its
   * `install(report)` may hand `report` anything cloneable, which reaches `onReport` on the stack's thread.
   */
  instruments: string | undefined;
}

export type SendersThreadRequest =
  | { kind: 'start' | 'stop'; queue: QueueId }
  | { kind: 'loseDeletes'; queue: QueueId; batches: number }
  | { kind: 'close' };

export type SendersThreadReply =
  | { kind: 'ready' }
  | { kind: 'busy'; queue: QueueId; busy: boolean; stats: { records: number; redelivered: number } }
  | { kind: 'stopped'; queue: QueueId }
  | { kind: 'error'; line: string }
  | { kind: 'report'; report: unknown }
  | { kind: 'closed' };

/** A consumer running on the senders' thread, as the stack's thread sees it. */
class ThreadConsumer implements QueueConsumer {
  busy = false;
  stats = { records: 0, redelivered: 0 };
  private stopWaiters: (() => void)[] = [];
  /** The thread has ended: nothing is left to stop. */
  private threadGone = false;

  constructor(
    private readonly thread: Worker,
    private readonly queue: QueueId,
  ) {}

  start(): void {
    this.thread.postMessage({ kind: 'start', queue: this.queue } satisfies SendersThreadRequest);
  }

  stop(): Promise<void> {
    if (this.threadGone) return Promise.resolve();
    const stopped = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    this.thread.postMessage({ kind: 'stop', queue: this.queue } satisfies SendersThreadRequest);
    return stopped;
  }

  loseNextDeletes(batches: number): void {
    this.thread.postMessage({ kind: 'loseDeletes', queue: this.queue, batches } satisfies SendersThreadRequest);
  }

  /** The thread has stopped this consumer. */
  stopped(): void {
    this.busy = false;
    for (const resolve of this.stopWaiters.splice(0)) resolve();
  }

  /** The thread has ended (closed, or it failed): this consumer is stopped for good. */
  ended(): void {
    this.threadGone = true;
    this.stopped();
  }
}

export interface SendersThread {
  consumers: Map<QueueId, QueueConsumer>;
  eventLoop(): EventLoopTime;
  /** Stops every consumer (waiting for the invocations under way) and ends the thread. */
  close(): Promise<void>;
}

/** Starts the senders' thread with a consumer per sending function, each started as the stack's own are. */
export async function startSendersThread(
  functions: SenderFunction[],
  log: (line: string) => void,
  instruments?: { module: string; onReport: (report: unknown) => void },
): Promise<SendersThread> {
  const thread = typeScriptWorker(new URL('./senders-thread.ts', import.meta.url), {
    workerData: { functions, instruments: instruments?.module } satisfies SendersThreadStart,
  });
  const consumers = new Map(functions.map(({ queueId }) => [queueId, new ThreadConsumer(thread, queueId)]));
  let closer: WorkerCloser | undefined;
  await new Promise<void>((resolve, reject) => {
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the senders' thread stopped as it started (exit code ${code})`)));
    thread.on('message', (reply: SendersThreadReply) => {
      switch (reply.kind) {
        case 'ready':
          resolve();
          break;
        case 'busy': {
          const consumer = consumers.get(reply.queue);
          if (consumer) Object.assign(consumer, { busy: reply.busy, stats: reply.stats });
          break;
        }
        case 'stopped':
          consumers.get(reply.queue)?.stopped();
          break;
        case 'error':
          log(reply.line);
          break;
        case 'report':
          instruments?.onReport(reply.report);
          break;
        case 'closed':
          closer?.closed();
          break;
      }
    });
  });
  thread.removeAllListeners('error').removeAllListeners('exit');
  thread.on('error', (error) => log(`the senders' thread failed: ${error.stack ?? String(error)}`));
  closer = new WorkerCloser(thread, { kind: 'close' } satisfies SendersThreadRequest, () => {
    for (const consumer of consumers.values()) consumer.ended();
  });
  const started = closer;
  return {
    consumers,
    eventLoop: () => eventLoopOf(thread),
    /** Stops every consumer (the thread waits for the invocations under way) and ends the thread. */
    close: () => started.close(),
  };
}
