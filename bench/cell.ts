import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startLocalStack } from '../local/stack.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { AdminApi, type BroadcastView } from './admin-api.js';
import { AwsRequestCounter, countsBetween, totals } from './aws-request-counter.js';
import { instrumentFetch, instrumentQueuePollers, instrumentStreamPollers, InvocationRecorder, timingBetween } from './lambda-timing.js';
import { MachineSampler } from './machine.js';
import { MemorySampler, type MemorySample } from './memory.js';
import { notesFor } from './notes.js';
import { Observer } from './observer.js';
import type { Options } from './options.js';
import { log, sleep, watchBroadcast } from './progress.js';
import { evaluateGoals } from './goals.js';
import { analyse, summarise } from './report.js';
import { BROADCAST_TOPICS, createTopics, population, URGENT_TOPIC } from './population.js';
import type { SeedResult } from './seed-report.js';
import { seedResidents } from './seed.js';
import { achievedRate, providerAnswers, sendsOf } from './sends.js';
import { paceWriteOf, type TimedPaceWrite } from './timeline.js';
import { BENCH_TEMPLATE, urgentUnderBulk } from './urgent.js';
import { pacedRate, pacedShare, rateVerdict } from './verdict.js';
import { accountRecipients, timelineOf, waitForReceipts } from './broadcast-outcome.js';
import type { Audience, Bench, Sent } from './cell-state.js';

/**
 * One cell of the benchmark: a local stack of its own, residents seeded, one normal broadcast
 * followed to its end and measured (and, if asked, an urgent broadcast under a bulk backlog).
 * The single run is one cell; a sweep runs one per child process (see sweep.ts), because the
 * local stack and the AWS clients its functions share are one per process.
 */

// A forced collection before each memory baseline, so the baseline is what is live, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export interface CellResult {
  /** Everything the JSON output holds for this cell. */
  results: Record<string, unknown>;
  /** Undefined when only the fan-out was measured (--fan-out-only). */
  main?: MainRun;
  urgent?: Record<string, unknown>;
  seed?: SeedResult;
  topics: string[];
  mps: number | undefined;
  stackErrors: number;
  notes: string[];
}

export async function runBroadcastCell(options: Options, save: (results: Record<string, unknown>) => void = () => undefined): Promise<CellResult> {
  const mps = options.mps > 0 ? options.mps : undefined;
  const topics = BROADCAST_TOPICS.slice(0, options.topics).map((topic) => topic.id);
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), config: configOf(options, mps, topics), environment: environment() };
  const bench = await startBench(options, mps);
  const memory = new MemorySampler();
  const done = (extra: Partial<CellResult>): CellResult => ({ results, topics, mps, stackErrors: bench.stackErrors.length, notes: [], ...extra });
  try {
    const audience = await seedAudience(bench, options, topics, results);
    const { seed } = audience;
    save(results);
    const sent = await sendBroadcast(bench, memory, options, topics);
    if (options.fanOutOnly) {
      results.fanOutMemory = fanOutMemory(options, sent, memory);
      save(results);
      return done({ seed });
    }
    const mainRun = await measureBroadcast(bench, memory, options, mps, sent, audience);
    const notes = notesFor(mainRun, mps);
    results.main = mainRun;
    results.notes = notes;
    save(results);
    log(`broadcast ${mainRun.outcome}: ${mainRun.recipients.outboxMessages} sent`);

    let urgent: Record<string, unknown> | undefined;
    if (options.urgent) {
      urgent = await urgentUnderBulk(bench.stack, bench.observer, bench.api, bench.recorder, topics, mps, options);
      results.urgent = urgent;
      save(results);
    }
    results.stackErrors = { count: bench.stackErrors.length, first: [...new Set(bench.stackErrors.map((line) => line.replace(/\d+/g, '#')))].slice(0, 5) };
    const aborted = bench.stackErrors.filter((line) => /AbortError|aborted/i.test(line)).length;
    if (aborted > 0) {
      notes.push(
        `${aborted} invocations were aborted by middy at the function's timeout (the local runtime passes Lambda's deadline: sender 60 s, fan-out 120 s), ` +
          'because locally they ran that long; their records stay on the queue and come back after the visibility timeout (6× the function timeout), stretching the tail.',
      );
    }
    results.finishedAt = new Date().toISOString();
    save(results);
    return done({ main: mainRun, urgent, seed, notes });
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
    save(results);
    throw error;
  } finally {
    memory.stop();
    bench.observer.close();
    await Promise.race([bench.stack.stop(), sleep(30_000)]);
  }
}

function configOf(options: Options, mps: number | undefined, topics: string[]) {
  return {
    subscribers: options.subscribers,
    providerMessagesPerSecond: mps ?? 'unlimited',
    broadcastTopics: topics,
    topicShards: options.shards,
    seedMode: options.seedMode,
    maxLocalConcurrency: options.concurrency,
    receiptDelayMs: options.receiptDelayMs,
    receipts: options.receipts,
    providerLatencyMs: options.latencyMs,
    timeoutMinutes: options.timeoutMin,
    urgentRun: options.urgent,
    capacity: options.requestCapacity ? 'ReturnConsumedCapacity=TOTAL added by the bench' : 'estimated from item sizes',
  };
}

export function environment() {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: process.platform };
}

/** Starts the local stack with the bench's instruments on it: request counter, invocation timing, the pacer's writes. */
async function startBench(options: Options, mps: number | undefined): Promise<Bench> {
  const recorder = new InvocationRecorder();
  instrumentQueuePollers(recorder);
  instrumentStreamPollers(recorder);
  instrumentFetch(recorder);
  const stackErrors: string[] = [];
  log(`starting the local stack (in-memory, provider ${mps ?? 'unlimited'} msg/s answering in ${options.latencyMs} ms, receipts (${options.receipts}) after ${options.receiptDelayMs} ms)`);
  const stack = await startLocalStack({
    port: 0,
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
  const counter = new AwsRequestCounter(options.requestCapacity);
  counter.attach(awsClients());
  const paceWrites: TimedPaceWrite[] = [];
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
    snapshot: () => ({ counts: counter.snapshot(), timing: recorder.snapshot(), stats: { ...stack.sandbox.stats } }),
  };
}

/** Topics and residents, and the audience the broadcast should reach (from the topic index). */
async function seedAudience(bench: Bench, options: Options, topics: string[], results: Record<string, unknown>): Promise<Audience> {
  const { api, observer, stack } = bench;
  const beforeSeed = bench.snapshot();
  await createTopics(api);
  const residents = population(options.subscribers);
  log(`seeding ${residents.length} residents over ${BROADCAST_TOPICS.length} topics (${options.seedMode} mode)`);
  const seed = await seedResidents(awsClients().documents, stack.tableName, options.shards, residents, { mode: options.seedMode, log });
  log(`seeded ${seed.residents} residents (${seed.subscriptions} subscriptions) in ${seed.seconds.toFixed(1)} s: ${seed.residentsPerSecond.toFixed(0)} residents/s`);
  const seedCounts = countsBetween(beforeSeed.counts, bench.snapshot().counts);
  results.seed = { ...seed, requests: totals(seedCounts).requests - totals(seedCounts).emptyReceives };
  const topicCounts: Record<string, number> = {};
  for (const topic of [...BROADCAST_TOPICS, URGENT_TOPIC]) {
    topicCounts[topic.id] = Number((await api.expect<{ subscribers: number }>(200, 'GET', `/v1/topics/${topic.id}`)).subscribers);
  }
  results.topicSubscribers = topicCounts;
  const expected = new Map<string, string>();
  for (const topicId of topics) for (const [phone, channel] of await observer.topicMembers(topicId, options.shards)) if (!expected.has(phone)) expected.set(phone, channel);
  log(`audience of ${topics.join(' + ')}: ${expected.size} distinct residents (topic counts ${JSON.stringify(topicCounts)})`);
  return { seed, expected, seedPhase: summarise(seedCounts) };
}

/** Creates the measured broadcast and follows it until every recipient has an outcome (or it stalls, or times out). */
async function sendBroadcast(bench: Bench, memory: MemorySampler, options: Options, topics: string[]): Promise<Sent> {
  await sleep(1_000); // let the pollers settle into idle polling
  collectGarbage();
  memory.start();
  const machine = new MachineSampler();
  machine.start();
  const baseline = memory.sample();
  const beforeBroadcast = bench.snapshot();
  const createdAt = Date.now();
  const created = await bench.api.expect<BroadcastView>(201, 'POST', '/v1/broadcasts', {
    topics,
    body: 'Bin collections move to Saturday next week because of the bank holiday. Details: cardiff.gov.uk/bins',
    priority: 'normal',
    // WhatsApp residents who have not written in 24 hours get the template, as in a real broadcast.
    whatsappTemplate: BENCH_TEMPLATE,
  });
  log(`broadcast ${created.id} created (normal priority, ${topics.length} topics)`);
  const deadline = createdAt + options.timeoutMin * 60_000;
  let liveAfterFanOut: MemorySample | undefined;
  const watched = await watchBroadcast(bench.stack, bench.observer, created.id, {
    deadline,
    label: 'broadcast',
    idleLanes: ['fanOut', 'sendBulk'],
    untilFanOut: options.fanOutOnly,
    // What is still live once the fan-out is over (peaks include garbage not yet collected).
    onFanOutDone: () => {
      collectGarbage();
      liveAfterFanOut = memory.sample();
    },
  });
  machine.stop();
  return { id: created.id, createdAt, deadline, watched, baseline, liveAfterFanOut, beforeBroadcast, afterSends: bench.snapshot(), machine };
}

function fanOutMemory(options: Options, sent: Sent, memory: MemorySampler) {
  memory.stop();
  const peak = memory.peak(sent.createdAt, sent.watched.fanOutDoneAt ?? Date.now());
  return {
    subscribers: options.subscribers,
    recipients: sent.watched.targetedAtFanOut,
    fanOutSeconds: sent.watched.fanOutDoneAt ? (sent.watched.fanOutDoneAt - sent.createdAt) / 1000 : undefined,
    baselineRss: sent.baseline.rss,
    baselineHeapUsed: sent.baseline.heapUsed,
    peakRss: peak.rss,
    peakHeapUsed: peak.heapUsed,
    liveHeapAfterFanOut: sent.liveAfterFanOut?.heapUsed,
    liveRssAfterFanOut: sent.liveAfterFanOut?.rss,
  };
}

export type MainRun = Awaited<ReturnType<typeof measureBroadcast>>;

/** Everything measured about the broadcast once it is over: outcomes, rates, requests, cost, machine, timeline. */
async function measureBroadcast(bench: Bench, memory: MemorySampler, options: Options, mps: number | undefined, sent: Sent, { seed, expected, seedPhase }: Audience) {
  const sendsDoneAt = sent.watched.doneAt;
  await waitForReceipts(bench, options, sent);
  const receiptsDoneAt = Date.now();
  const afterReceipts = bench.snapshot();
  memory.stop();

  const view = await bench.api.expect<BroadcastView>(200, 'GET', `/v1/broadcasts/${sent.id}`);
  const sends = sendsOf(bench.stack, sent.id);
  const depthsAtEnd = await bench.observer.queueDepths();
  const accounted = await accountRecipients(bench, sent, sends, expected, depthsAtEnd);
  const timing = timingBetween(sent.beforeBroadcast.timing, afterReceipts.timing);
  const answers = providerAnswers(timing, sent.id);
  const analysis = analyse(countsBetween(sent.beforeBroadcast.counts, afterReceipts.counts), timing, view.counts.targeted, sends.messages, options.latencyMs);
  const fanOutSeconds = sent.watched.fanOutDoneAt ? (sent.watched.fanOutDoneAt - sent.createdAt) / 1000 : undefined;
  const fanOutRate = fanOutSeconds && sent.watched.targetedAtFanOut ? sent.watched.targetedAtFanOut / fanOutSeconds : undefined;
  const rate = achievedRate(sends);
  const { lostBreakdown } = accounted;
  const goals = evaluateGoals({
    mps,
    achievedRate: rate,
    throttled: answers.throttled,
    sends: answers.accepted,
    duplicates: accounted.recipients.extraMessages,
    lost: accounted.recipients.neverSentNorSkipped - lostBreakdown.stillQueuedAtTimeout,
    undetermined: lostBreakdown.stillQueuedAtTimeout,
    fanOutRate,
    analysis,
  });
  // The machine over the busiest sender's sending window: the window its rate is measured over.
  const window = sends.busiestSender ? { from: sends.busiestSender.firstAt, to: sends.busiestSender.lastAt } : { from: sent.createdAt, to: sendsDoneAt };
  const load = sent.machine.loadBetween(window.from, Math.max(window.to, window.from + 1));
  const sdkRequests = totals(countsBetween(sent.beforeBroadcast.counts, sent.afterSends.counts));
  const share = pacedShare(rate, mps);
  const fanOutPeak = memory.peak(sent.createdAt, sent.watched.fanOutDoneAt ?? sendsDoneAt);
  const broadcastPeak = memory.peak(sent.createdAt, receiptsDoneAt);
  return {
    broadcastId: sent.id,
    outcome: sent.watched.outcome,
    apiStatus: view.status,
    apiCounts: view.counts,
    expectedRecipients: expected.size,
    residents: seed.residents,
    providerLatencyMs: options.latencyMs,
    busiestSender: sends.busiestSender?.channel ?? 'none',
    timings: {
      fanOutSeconds,
      fanOutRecipientsPerSecond: fanOutRate,
      firstSendSeconds: sends.firstAt !== undefined ? (sends.firstAt - sent.createdAt) / 1000 : undefined,
      lastSendSeconds: sends.lastAt !== undefined ? (sends.lastAt - sent.createdAt) / 1000 : undefined,
      idealSendSeconds: mps ? (sends.busiestSender?.messages ?? view.counts.targeted) / pacedRate(mps) : undefined,
      achievedSendRate: rate,
      peakSendsInOneSecond: sends.peakPerSecond,
      achievedShareOfProviderRate: rate !== undefined && mps ? rate / mps : undefined,
      achievedShareOfPacedRate: share,
      receiptTailSeconds: (receiptsDoneAt - sendsDoneAt) / 1000,
    },
    rateVerdict: rateVerdict(share, load),
    provider: {
      ...answers,
      sandboxStats: {
        accepted: afterReceipts.stats.accepted - sent.beforeBroadcast.stats.accepted,
        throttled: afterReceipts.stats.throttled - sent.beforeBroadcast.stats.throttled,
        failed: afterReceipts.stats.failed - sent.beforeBroadcast.stats.failed,
      },
    },
    recipients: {
      ...accounted.recipients,
      countsCheck: {
        targetedVsExpected: view.counts.targeted - expected.size,
        outcomesVsTargeted: view.counts.sent + view.counts.failed + view.counts.skipped - view.counts.targeted,
        sentVsOutbox: view.counts.sent - sends.messages,
      },
    },
    queuesAtEnd: depthsAtEnd,
    deadLettered: accounted.deadLettered,
    lostBreakdown,
    sendJobReceiveCounts: timing.receiveCounts,
    memory: {
      note: 'whole process: dynalite (in-memory table), the SQS emulator, every function and the sandbox outbox share it',
      baselineRss: sent.baseline.rss,
      baselineHeapUsed: sent.baseline.heapUsed,
      fanOutPeakRss: fanOutPeak.rss,
      fanOutPeakHeapUsed: fanOutPeak.heapUsed,
      broadcastPeakRss: broadcastPeak.rss,
      broadcastPeakHeapUsed: broadcastPeak.heapUsed,
      liveHeapAfterFanOut: sent.liveAfterFanOut?.heapUsed ?? NaN,
    },
    localMachine: {
      window: 'the busiest sender’s first to last send',
      eventLoopUtilisation: load.eventLoopUtilisation,
      cpuCoresBusy: load.cpuCoresBusy,
      hostStealShare: load.hostStealShare,
      sdkRequestsPerSecond: sendsDoneAt > sent.createdAt ? sdkRequests.requests / ((sendsDoneAt - sent.createdAt) / 1000) : undefined,
    },
    timeline: timelineOf(bench, sent, sends, mps),
    phases: {
      seed: seedPhase,
      fanOutAndSend: summarise(countsBetween(sent.beforeBroadcast.counts, sent.afterSends.counts)),
      receiptTail: summarise(countsBetween(sent.afterSends.counts, afterReceipts.counts)),
    },
    analysis,
    goals,
  };
}
