import { eventLoopOf, typeScriptWorker } from './typescript-worker.js';
import { announceTableChange, type ItemImage } from './dynalite-changes.js';
import { startDynamo, startSqs, type RunningEmulator } from './emulators.js';

/*
 * dynalite and the SQS emulator on a thread of their own. On one JavaScript thread with every
 * function, the sandbox and the HTTP gateway, they took a large share of it at a few dozen
 * messages a second (npm run bench), so the senders' timers ran late for work that, in AWS, is
 * not on a function's CPU at all. On their own thread they use the machine's second core. The
 * table's changes come back to the stack's thread as messages, for its stream consumers: as in
 * AWS, a change reaches them a moment after the write is answered, not before it.
 */

export interface EmulatorThreadStart {
  dynamoPath: string | undefined;
}

export type EmulatorThreadRequest = { kind: 'flush'; id: number } | { kind: 'close' };

export type EmulatorThreadReply =
  | { kind: 'ready'; dynamoEndpoint: string; sqsEndpoint: string }
  | { kind: 'change'; table: string; before: ItemImage | undefined; after: ItemImage | undefined }
  | { kind: 'flushed'; id: number }
  | { kind: 'closed'; error?: string };

/** An event loop's time so far, busy and idle (ms), as performance.eventLoopUtilization() counts it. */
export interface EventLoopTime {
  active: number;
  idle: number;
}

/** DynamoDB and SQS, on the stack's thread or on their own. */
export interface RunningEmulators {
  dynamo: RunningEmulator;
  sqs: RunningEmulator;
  /** Resolves once every change the table made before the call has reached this thread's stream consumers. */
  flushed(): Promise<void>;
  /** The emulators' own thread's event loop; absent when they run on the stack's thread. */
  eventLoop?: () => EventLoopTime;
}

export type EmulatorsThread = Required<RunningEmulators>;

/** The emulators, on this thread or their own, and how to wait for the table's changes to reach the stream. */
export async function startEmulators(dynamoPath: string | undefined, ownThread: boolean): Promise<RunningEmulators> {
  if (ownThread) return startEmulatorsThread(dynamoPath);
  const dynamo = await startDynamo(dynamoPath);
  try {
    // On this thread a change reaches the stream as the write is made.
    return { dynamo, sqs: await startSqs(), flushed: () => Promise.resolve() };
  } catch (error) {
    await dynamo.close();
    throw error;
  }
}

/** Starts the emulators' thread: DynamoDB kept under `dynamoPath` (in memory without one), SQS in memory. */
export async function startEmulatorsThread(dynamoPath: string | undefined): Promise<EmulatorsThread> {
  const worker = typeScriptWorker(new URL('./emulator-thread.ts', import.meta.url), { workerData: { dynamoPath } satisfies EmulatorThreadStart });
  const waiting = new Map<number, () => void>();
  let nextId = 0;
  let exited = false;
  let onClosed: (reply: { error?: string }) => void = () => undefined;
  const endWaits = () => {
    exited = true;
    for (const resolve of waiting.values()) resolve();
    waiting.clear();
    onClosed({});
  };
  const started = await new Promise<{ dynamoEndpoint: string; sqsEndpoint: string }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the emulators' thread stopped as it started (exit code ${code})`)));
    worker.on('message', (reply: EmulatorThreadReply) => {
      if (reply.kind === 'change') announceTableChange(reply.table, reply.before, reply.after);
      else if (reply.kind === 'ready') resolve(reply);
      else if (reply.kind === 'flushed') {
        waiting.get(reply.id)?.();
        waiting.delete(reply.id);
      } else onClosed(reply);
    });
  });
  worker.removeAllListeners('error').removeAllListeners('exit');
  worker.on('exit', endWaits);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (exited) return;
      const reply = new Promise<{ error?: string }>((resolve) => (onClosed = resolve));
      worker.postMessage({ kind: 'close' } satisfies EmulatorThreadRequest);
      const { error } = await reply;
      await worker.terminate();
      endWaits();
      if (error) throw new Error(`the emulators did not close cleanly: ${error}`);
    })());
  return {
    // One thread for both: closing either closes both (the stack closes them together).
    dynamo: { endpoint: started.dynamoEndpoint, close },
    sqs: { endpoint: started.sqsEndpoint, close },
    eventLoop: () => eventLoopOf(worker),
    flushed: () => {
      if (exited) return Promise.resolve();
      const id = (nextId += 1);
      const done = new Promise<void>((resolve) => waiting.set(id, resolve));
      worker.postMessage({ kind: 'flush', id } satisfies EmulatorThreadRequest);
      return done;
    },
  };
}
