import { startLocalStack } from '../local/stack.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { AdminApi } from './admin-api.js';
import { AwsRequestCounter } from './aws-request-counter.js';
import type { Bench } from './cell-state.js';
import { instrumentFetch, instrumentQueuePollers, instrumentStreamPollers, InvocationRecorder } from './lambda-timing.js';
import { Observer } from './observer.js';
import type { Options } from './options.js';
import { log } from './progress.js';
import { applySendersThreadReport, type SendersThreadReport } from './senders-thread-instruments.js';
import { paceWriteOf, type TimedPaceWrite } from './timeline.js';
import type { Stall } from './timer-lateness.js';

/* The local stack a cell measures, started with the bench's instruments on it before anything runs, so no request goes uncounted. */

/** Starts the local stack with the bench's instruments on it: request counter, invocation timing, the pacer's writes. */
export async function startBench(options: Options, mps: number | undefined): Promise<Bench> {
  const recorder = new InvocationRecorder();
  instrumentQueuePollers(recorder);
  instrumentStreamPollers(recorder);
  instrumentFetch(recorder);
  const stackErrors: string[] = [];
  const counter = new AwsRequestCounter(options.requestCapacity);
  const paceWrites: TimedPaceWrite[] = [];
  const senderStalls: Stall[] = [];
  const instruments = new URL('./senders-thread-instruments.ts', import.meta.url);
  if (!options.requestCapacity) instruments.searchParams.set('capacity', 'off');
  log(`starting the local stack (in-memory, provider ${mps ?? 'unlimited'} msg/s answering in ${options.latencyMs} ms, receipts (${options.receipts}) after ${options.receiptDelayMs} ms)`);
  const stack = await startLocalStack({
    port: 0,
    // As npm start runs them: off the thread the functions share, as DynamoDB and SQS are in AWS.
    emulatorsInThread: true,
    sendersInThread: true,
    sandboxEdgeInThread: true,
    sendersThreadInstruments: {
      module: instruments.href,
      onReport: (report) => applySendersThreadReport(report as SendersThreadReport, { recorder, counter, paceWrites, senderStalls }),
    },
    twilio: { authToken: 'bench-twilio-token' },
    sandbox: { messagesPerSecond: mps, failureRate: 0, receiptDelayMs: options.receiptDelayMs, receipts: options.receipts, latencyMs: options.latencyMs },
    settings: { topicShards: options.shards },
    maxLocalConcurrency: options.concurrency,
    // Receipts counted in batches as long as AWS gathers them (not the local quarter second): the
    // counters' write units per recipient are then AWS's.
    streamBatchingWindowMs: Number.POSITIVE_INFINITY,
    // The stack's log carries its pollers' errors, and one line that is not one: where it listens as it starts.
    log: (line) => {
      if (!line.startsWith('listening on ')) stackErrors.push(line);
    },
  });
  counter.attach(awsClients());
  counter.onRequest(({ operation, body, ok, at }) => {
    // Only writes that took effect booked anything; a refused booking changed nothing.
    const write = ok ? paceWriteOf(operation, body) : undefined;
    if (write) paceWrites.push({ at, write });
  });
  return {
    stack,
    counter,
    recorder,
    observer: new Observer(stack),
    api: new AdminApi(stack),
    stackErrors,
    paceWrites,
    senderStalls,
    snapshot: () => ({ counts: counter.snapshot(), timing: recorder.snapshot(), stats: { ...stack.sandbox.stats } }),
  };
}
