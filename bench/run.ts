import { spawn } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Command, InvalidArgumentError, Option } from 'commander';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { broadcastMessageId } from '../shared/usecases/send.js';
import { render } from './render.js';
import { AdminApi, type BroadcastView } from './admin-api.js';
import { AwsRequestCounter, countsBetween, totals, type CounterSnapshot } from './aws-request-counter.js';
import { instrumentFetch, instrumentQueuePollers, InvocationRecorder, timingBetween, type TimingSnapshot } from './lambda-timing.js';
import { Observer, type BroadcastProgress, type QueueDepth } from './observer.js';
import { analyse, evaluateGoals, fixed, table, type Analysis, type Goal } from './report.js';
import { BROADCAST_TOPICS, createTopics, population, seedResidents, URGENT_TOPIC, type SeedMode, type SeedResult } from './seed.js';
import { cpuTimes, stolenShare } from './host-cpu.js';

/** A WhatsApp template (a Twilio Content SID shape) for residents outside their 24-hour window. */
const BENCH_TEMPLATE = { name: 'HX0123456789abcdef0123456789abcdef', parameters: [] };

/**
 * The delivery benchmark: seeds residents, sends a broadcast through the whole local stack
 * (fan-out → send queue → sender → sandbox provider → delivery receipts) and measures what the
 * engine does today against the delivery goals. A measurement, not a test: it exits 0 whether
 * the goals are met or not, and 1 only when it could not measure.
 */

export interface Options {
  subscribers: number;
  mps: number;
  topics: number;
  shards: number;
  quick?: boolean;
  jsonOut: string;
  seedMode: SeedMode;
  concurrency: number;
  receiptDelayMs: number;
  receipts: 'delivered' | 'sent-and-delivered';
  latencyMs: number;
  timeoutMin: number;
  urgent: boolean;
  memoryCheck?: boolean;
  requestCapacity: boolean;
  fanOutOnly?: boolean;
  memoryCheckSizes: number[];
}

const POLL_MS = 100;
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A forced collection before each memory baseline, so the baseline is what is live, not garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function integer(minimum: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`must be a whole number ≥ ${minimum}`);
    return parsed;
  };
}

function parseOptions(argv: string[]): Options {
  const program = new Command('npm run bench --')
    .description('crier delivery benchmark: a broadcast through the local stack, measured against the delivery goals')
    .option('--subscribers <n>', 'residents to seed', integer(10), 50_000)
    .option('--quick', 'a short run: 2,000 residents')
    .option('--mps <n>', "the provider's rate limit in messages per second (0: unlimited)", integer(0), 100)
    .option('--topics <n>', 'topics the broadcast goes to (1–3, overlapping audiences)', integer(1), 3)
    .option('--shards <n>', 'topic index shards (settings.topicShards)', integer(1), 8)
    .option('--json-out <path>', 'where to write the results', 'bench/results.json')
    .addOption(new Option('--seed-mode <mode>', 'batch: same items as the store, checked against it, 25 a request; store: through DynamoSubscriberStore').choices(['batch', 'store']).default('batch'))
    .option('--concurrency <n>', 'maxLocalConcurrency: invocations at once per queue function', integer(1), 10)
    .option('--receipt-delay-ms <n>', 'the sandbox posts a delivered receipt this long after each send', integer(0), 200)
    .addOption(
      new Option('--receipts <which>', 'sent-and-delivered: a "sent" receipt half-way and then "delivered", as Twilio calls back for every SMS; delivered: that one alone')
        .choices(['sent-and-delivered', 'delivered'])
        .default('sent-and-delivered'),
    )
    .option('--latency-ms <n>', "the provider API's answer time for each accepted send", integer(0), 0)
    .option('--timeout-min <n>', 'give up waiting for a broadcast after this many minutes', integer(1), 15)
    .option('--no-urgent', 'skip the second run (an urgent broadcast during a bulk backlog)')
    .option('--memory-check', 'also compare fan-out peak memory at 10,000 and 100,000 residents (child processes; slow)')
    .option('--no-request-capacity', 'do not ask DynamoDB for consumed capacity; estimate units from item sizes')
    .addOption(new Option('--fan-out-only', 'seed, fan out one broadcast, report memory (used by --memory-check)').hideHelp())
    .addOption(
      new Option('--memory-check-sizes <list>', 'residents for --memory-check, comma-separated')
        .argParser((value) => value.split(',').map((size) => integer(10)(size.trim())))
        .default([10_000, 100_000]),
    )
    .parse(argv);
  const options = program.opts<Options>();
  if (options.topics > BROADCAST_TOPICS.length) program.error(`--topics must be between 1 and ${BROADCAST_TOPICS.length}`);
  if (options.quick) options.subscribers = 2_000;
  return options;
}

interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
}

/** process.memoryUsage() every 100 ms; windows are read back by time. */
class MemorySampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  sample(): MemorySample {
    const { rss, heapUsed } = process.memoryUsage();
    const sample = { at: Date.now(), rss, heapUsed };
    this.samples.push(sample);
    return sample;
  }

  peak(from: number, to: number): { rss: number; heapUsed: number } {
    let rss = 0;
    let heapUsed = 0;
    for (const sample of this.samples) {
      if (sample.at < from || sample.at > to) continue;
      rss = Math.max(rss, sample.rss);
      heapUsed = Math.max(heapUsed, sample.heapUsed);
    }
    return { rss, heapUsed };
  }
}

interface WatchResult {
  outcome: 'completed' | 'stalled' | 'timed out';
  fanOutDoneAt: number | undefined;
  targetedAtFanOut: number | undefined;
  doneAt: number;
  last: BroadcastProgress | undefined;
}

/**
 * Follows a broadcast through the bench's own (uncounted) view of the table until every targeted
 * resident has an outcome, nothing is left on the queues (a job parked in a DLQ never completes),
 * or the deadline passes.
 */
async function watchBroadcast(
  stack: LocalStack,
  observer: Observer,
  id: string,
  {
    deadline,
    label,
    idleLanes,
    untilFanOut = false,
    onFanOutDone,
  }: { deadline: number; label: string; idleLanes: string[]; untilFanOut?: boolean; onFanOutDone?: () => void },
): Promise<WatchResult> {
  let fanOutDoneAt: number | undefined;
  let targetedAtFanOut: number | undefined;
  let last: BroadcastProgress | undefined;
  let lastChangeAt = Date.now();
  let lastSignature = '';
  let nextDepthCheck = 0;
  let nextProgressLine = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const progress = await observer.broadcast(id);
    last = progress ?? last;
    const now = Date.now();
    if (progress && fanOutDoneAt === undefined && progress.fanOutPending <= 0) {
      fanOutDoneAt = now;
      targetedAtFanOut = progress.targeted;
      log(`${label}: fan-out done, ${progress.targeted} recipients targeted`);
      onFanOutDone?.();
      if (untilFanOut) return { outcome: 'completed', fanOutDoneAt, targetedAtFanOut, doneAt: now, last: progress };
    }
    if (progress && (progress.status === 'sent' || progress.status === 'cancelled')) {
      return { outcome: 'completed', fanOutDoneAt, targetedAtFanOut, doneAt: now, last };
    }
    const signature = JSON.stringify([progress, stack.sandbox.stats]);
    if (signature !== lastSignature) {
      lastSignature = signature;
      lastChangeAt = now;
    }
    if (now >= nextProgressLine && progress) {
      nextProgressLine = now + 5_000;
      const { accepted, throttled } = stack.sandbox.stats;
      log(
        `${label}: targeted ${progress.targeted}, sent ${progress.sent}, failed ${progress.failed}, skipped ${progress.skipped}, delivered ${progress.delivered} ` +
          `(provider: ${accepted} accepted, ${throttled} × 429 so far)`,
      );
    }
    // Nothing moved for 5 s: look at the queues. Empty lanes and no progress means it is over.
    if (now - lastChangeAt > 5_000 && now >= nextDepthCheck) {
      nextDepthCheck = now + 1_000;
      const depths = await observer.queueDepths();
      const busy = idleLanes.some((lane) => pending(depths[lane]) > 0);
      if (!busy) {
        log(`${label}: no progress for ${((now - lastChangeAt) / 1000).toFixed(0)} s and its queues are empty; the broadcast will not complete`);
        return { outcome: 'stalled', fanOutDoneAt, targetedAtFanOut, doneAt: lastChangeAt, last };
      }
    }
    await sleep(fanOutDoneAt === undefined ? POLL_MS : 250);
  }
  log(`${label}: gave up waiting at the deadline`);
  return { outcome: 'timed out', fanOutDoneAt, targetedAtFanOut, doneAt: Date.now(), last };
}

function pending(depth: QueueDepth | undefined): number {
  return depth ? depth.visible + depth.inFlight + depth.delayed : 0;
}

interface SendTimes {
  /** The most messages sent within one wall-clock second, on the busiest sender. */
  peakPerSecond: number;
  messages: number;
  recipients: number;
  firstAt: number | undefined;
  lastAt: number | undefined;
  perRecipient: Map<string, number>;
  /**
   * The sender (channel) with the most messages: the provider meters each sender on its own and
   * crier paces each so, so the rate that can be held against the provider's is this one's.
   */
  busiestSender: { channel: string; messages: number; firstAt: number; lastAt: number } | undefined;
}

function sendsOf(stack: LocalStack, broadcastId: string): SendTimes {
  const prefix = `${broadcastId}-`;
  const perRecipient = new Map<string, number>();
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let messages = 0;
  const perSecond = new Map<string, number>();
  const bySender = new Map<string, { channel: string; messages: number; firstAt: number; lastAt: number }>();
  for (const message of stack.sandbox.outbox) {
    if (!message.messageId.startsWith(prefix)) continue;
    messages += 1;
    const second = Math.floor(Date.parse(message.createdAt) / 1000);
    perSecond.set(`${message.channel}@${second}`, (perSecond.get(`${message.channel}@${second}`) ?? 0) + 1);
    const sentAt = Date.parse(message.createdAt);
    const sender = bySender.get(message.channel) ?? { channel: message.channel, messages: 0, firstAt: sentAt, lastAt: sentAt };
    bySender.set(message.channel, { ...sender, messages: sender.messages + 1, firstAt: Math.min(sender.firstAt, sentAt), lastAt: Math.max(sender.lastAt, sentAt) });
    perRecipient.set(message.to, (perRecipient.get(message.to) ?? 0) + 1);
    const at = Date.parse(message.createdAt);
    firstAt = firstAt === undefined ? at : Math.min(firstAt, at);
    lastAt = lastAt === undefined ? at : Math.max(lastAt, at);
  }
  const busiestSender = [...bySender.values()].sort((a, b) => b.messages - a.messages)[0];
  const peakPerSecond = Math.max(0, ...[...perSecond].filter(([key]) => key.startsWith(`${busiestSender?.channel}@`)).map(([, count]) => count));
  return { messages, recipients: perRecipient.size, firstAt, lastAt, perRecipient, peakPerSecond, busiestSender };
}

/** Messages a second between the busiest sender's first and last send (a single send has no rate). */
function achievedRate(sends: SendTimes): number | undefined {
  const sender = sends.busiestSender;
  if (!sender || sender.lastAt <= sender.firstAt) return undefined;
  return (sender.messages - 1) / ((sender.lastAt - sender.firstAt) / 1000);
}

export interface ProviderAnswers {
  accepted: number;
  throttled: number;
  failed: number;
  other: number;
}

function providerAnswers(timing: TimingSnapshot, broadcastId: string): ProviderAnswers {
  const answers = timing.providerAnswers[broadcastId] ?? {};
  const result = { accepted: 0, throttled: 0, failed: 0, other: 0 };
  for (const [status, count] of Object.entries(answers)) {
    if (status === '201') result.accepted += count;
    else if (status === '429') result.throttled += count;
    else if (/^5\d\d$/.test(status)) result.failed += count;
    else result.other += count;
  }
  return result;
}

async function main(options: Options): Promise<number> {
  const started = new Date();
  const mps = options.mps > 0 ? options.mps : undefined;
  const topics = BROADCAST_TOPICS.slice(0, options.topics).map((topic) => topic.id);
  const results: Record<string, unknown> = {
    startedAt: started.toISOString(),
    config: {
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
      capacity: options.requestCapacity ? 'ReturnConsumedCapacity=TOTAL added by the bench' : 'estimated from item sizes',
    },
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', platform: process.platform },
  };
  const jsonOut = resolve(options.jsonOut);
  const save = () => {
    mkdirSync(dirname(jsonOut), { recursive: true });
    writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
  };

  const recorder = new InvocationRecorder();
  instrumentQueuePollers(recorder);
  instrumentFetch(recorder);
  const stackErrors: string[] = [];
  log(`starting the local stack (in-memory, provider ${mps ?? 'unlimited'} msg/s, receipts (${options.receipts}) after ${options.receiptDelayMs} ms)`);
  const stack = await startLocalStack({
    port: 0,
    twilio: { authToken: 'bench-twilio-token' },
    sandbox: { messagesPerSecond: mps, failureRate: 0, receiptDelayMs: options.receiptDelayMs, receipts: options.receipts, latencyMs: options.latencyMs },
    settings: { topicShards: options.shards },
    maxLocalConcurrency: options.concurrency,
    // The stack's log carries its pollers' errors, and one line that is not one: where it listens as it starts.
    log: (line) => {
      if (!line.startsWith('listening on ')) stackErrors.push(line);
    },
  });
  const counter = new AwsRequestCounter(options.requestCapacity);
  counter.attach(awsClients());
  const observer = new Observer(stack);
  const api = new AdminApi(stack);
  const memory = new MemorySampler();
  const snapshot = () => ({ counts: counter.snapshot(), timing: recorder.snapshot(), stats: { ...stack.sandbox.stats } });

  try {
    // 1. Topics and residents.
    const beforeSeed = snapshot();
    await createTopics(api);
    const residents = population(options.subscribers);
    log(`seeding ${residents.length} residents over ${BROADCAST_TOPICS.length} topics (${options.seedMode} mode)`);
    const seed: SeedResult = await seedResidents(awsClients().documents, stack.tableName, options.shards, residents, {
      mode: options.seedMode,
      log,
    });
    log(`seeded ${seed.residents} residents (${seed.subscriptions} subscriptions) in ${seed.seconds.toFixed(1)} s: ${seed.residentsPerSecond.toFixed(0)} residents/s`);
    const afterSeed = snapshot();
    const seedCounts = countsBetween(beforeSeed.counts, afterSeed.counts);
    results.seed = { ...seed, requests: totals(seedCounts).requests - totals(seedCounts).emptyReceives };
    const topicCounts: Record<string, number> = {};
    for (const topic of [...BROADCAST_TOPICS, URGENT_TOPIC]) {
      topicCounts[topic.id] = Number((await api.expect<{ subscribers: number }>(200, 'GET', `/v1/topics/${topic.id}`)).subscribers);
    }
    results.topicSubscribers = topicCounts;
    const expected = new Map<string, string>();
    for (const topicId of topics) for (const [phone, channel] of await observer.topicMembers(topicId, options.shards)) if (!expected.has(phone)) expected.set(phone, channel);
    log(`audience of ${topics.join(' + ')}: ${expected.size} distinct residents (topic counts ${JSON.stringify(topicCounts)})`);
    save();

    // 2. The measured broadcast.
    await sleep(1_000); // let the pollers settle into idle polling
    collectGarbage();
    memory.start();
    const baseline = memory.sample();
    const beforeBroadcast = snapshot();
    const cpuBefore = process.cpuUsage();
    const hostBefore = cpuTimes();
    const createdAt = Date.now();
    const created = await api.expect<BroadcastView>(201, 'POST', '/v1/broadcasts', {
      topics,
      body: 'Bin collections move to Saturday next week because of the bank holiday. Details: cardiff.gov.uk/bins',
      priority: 'normal',
      // WhatsApp residents who have not written in 24 hours get the template, as in a real broadcast.
      whatsappTemplate: BENCH_TEMPLATE,
    });
    log(`broadcast ${created.id} created (normal priority, ${topics.length} topics)`);
    const deadline = createdAt + options.timeoutMin * 60_000;
    let liveAfterFanOut: MemorySample | undefined;
    const watched = await watchBroadcast(stack, observer, created.id, {
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
    const afterSends = snapshot();
    const cpuAfter = process.cpuUsage(cpuBefore);
    const hostStolen = stolenShare(hostBefore, cpuTimes());
    const sendsDoneAt = watched.doneAt;

    if (options.fanOutOnly) {
      memory.stop();
      const peak = memory.peak(createdAt, watched.fanOutDoneAt ?? Date.now());
      results.fanOutMemory = {
        subscribers: options.subscribers,
        recipients: watched.targetedAtFanOut,
        fanOutSeconds: watched.fanOutDoneAt ? (watched.fanOutDoneAt - createdAt) / 1000 : undefined,
        baselineRss: baseline.rss,
        baselineHeapUsed: baseline.heapUsed,
        peakRss: peak.rss,
        peakHeapUsed: peak.heapUsed,
        liveHeapAfterFanOut: liveAfterFanOut?.heapUsed,
        liveRssAfterFanOut: liveAfterFanOut?.rss,
      };
      save();
      return 0;
    }

    // Receipts still on their way after the last send: wait for them (bounded), then count.
    const receiptDeadline = Math.min(deadline + 60_000, Date.now() + Math.max(10_000, options.receiptDelayMs * 20));
    let progress = watched.last;
    let stableSince = Date.now();
    while (Date.now() < receiptDeadline) {
      const current = await observer.broadcast(created.id);
      if (current && current.delivered >= current.sent) {
        progress = current;
        break;
      }
      if (JSON.stringify(current) !== JSON.stringify(progress)) stableSince = Date.now();
      progress = current;
      if (Date.now() - stableSince > Math.max(3_000, options.receiptDelayMs * 5)) break;
      await sleep(250);
    }
    const receiptsDoneAt = Date.now();
    const afterReceipts = snapshot();
    memory.stop();

    const view = await api.expect<BroadcastView>(200, 'GET', `/v1/broadcasts/${created.id}`);
    const sends = sendsOf(stack, created.id);
    const notSent = [...expected.keys()].filter((phone) => !sends.perRecipient.has(phone));
    const outcomes = await observer.messageOutcomes(notSent.map((phone) => broadcastMessageId(created.id, phone)));
    const unsentOutcomes: Record<string, number> = {};
    for (const phone of notSent) {
      const outcome = outcomes.get(broadcastMessageId(created.id, phone));
      const key = outcome ? `${outcome.status}${outcome.skipReason ? ` (${outcome.skipReason})` : ''}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}` : 'no message record';
      unsentOutcomes[key] = (unsentOutcomes[key] ?? 0) + 1;
    }
    const skippedRecipients = Object.entries(unsentOutcomes)
      .filter(([key]) => key.startsWith('skipped'))
      .reduce((sum, [, count]) => sum + count, 0);
    const lost = notSent.length - skippedRecipients;
    const duplicateRecipients = [...sends.perRecipient.values()].filter((count) => count > 1).length;
    const extraMessages = [...sends.perRecipient.values()].reduce((sum, count) => sum + count - 1, 0);
    const unexpected = [...sends.perRecipient.keys()].filter((phone) => !expected.has(phone)).length;

    const window = countsBetween(beforeBroadcast.counts, afterReceipts.counts);
    const timing = timingBetween(beforeBroadcast.timing, afterReceipts.timing);
    const answers = providerAnswers(timing, created.id);
    const recipients = view.counts.targeted;
    const analysis = analyse(window, timing, recipients, sends.messages, options.latencyMs);
    const fanOutSeconds = watched.fanOutDoneAt ? (watched.fanOutDoneAt - createdAt) / 1000 : undefined;
    const fanOutRate = fanOutSeconds && watched.targetedAtFanOut ? watched.targetedAtFanOut / fanOutSeconds : undefined;
    const rate = achievedRate(sends);
    const fanOutPeak = memory.peak(createdAt, watched.fanOutDoneAt ?? sendsDoneAt);
    const broadcastPeak = memory.peak(createdAt, receiptsDoneAt);
    const depthsAtEnd = await observer.queueDepths();
    const deadLettered = pendingIn(depthsAtEnd, 'DLQ') > 0 ? await observer.deadLetteredRecipients() : { jobs: 0, recipientsByBroadcast: {}, phonesByBroadcast: {} };
    // Where the lost ones are: parked in a dead-letter queue, or in a job that left the queue unfinished.
    const deadLetteredPhones = new Set(deadLettered.phonesByBroadcast[created.id] ?? []);
    const lostPhones = notSent.filter((phone) => !(unsentOutcomeOf(outcomes, created.id, phone) ?? '').startsWith('skipped'));
    const lostInDeadLetters = lostPhones.filter((phone) => deadLetteredPhones.has(phone)).length;
    const lostOnQueues = watched.outcome === 'timed out' ? lostPhones.length - lostInDeadLetters : 0;
    const lostDropped = lostPhones.length - lostInDeadLetters - lostOnQueues;
    const goals = evaluateGoals({
      mps,
      achievedRate: rate,
      throttled: answers.throttled,
      sends: answers.accepted,
      duplicates: extraMessages,
      lost: lost - lostOnQueues,
      undetermined: lostOnQueues,
      fanOutRate,
      analysis,
    });
    const wallSeconds = (sendsDoneAt - createdAt) / 1000;
    const cpuSeconds = (cpuAfter.user + cpuAfter.system) / 1e6;
    const sdkRequests = totals(countsBetween(beforeBroadcast.counts, afterSends.counts));
    const mainRun = {
      broadcastId: created.id,
      outcome: watched.outcome,
      apiStatus: view.status,
      apiCounts: view.counts,
      expectedRecipients: expected.size,
      busiestSender: sends.busiestSender?.channel ?? 'none',
      timings: {
        fanOutSeconds,
        fanOutRecipientsPerSecond: fanOutRate,
        firstSendSeconds: sends.firstAt !== undefined ? (sends.firstAt - createdAt) / 1000 : undefined,
        lastSendSeconds: sends.lastAt !== undefined ? (sends.lastAt - createdAt) / 1000 : undefined,
        idealSendSeconds: mps ? (sends.busiestSender?.messages ?? recipients) / mps : undefined,
        achievedSendRate: rate,
        peakSendsInOneSecond: sends.peakPerSecond,
        achievedShareOfProviderRate: rate !== undefined && mps ? rate / mps : undefined,
        receiptTailSeconds: (receiptsDoneAt - sendsDoneAt) / 1000,
      },
      provider: { ...answers, sandboxStats: { accepted: afterReceipts.stats.accepted - beforeBroadcast.stats.accepted, throttled: afterReceipts.stats.throttled - beforeBroadcast.stats.throttled, failed: afterReceipts.stats.failed - beforeBroadcast.stats.failed } },
      recipients: {
        outboxMessages: sends.messages,
        outboxRecipients: sends.recipients,
        duplicateRecipients,
        extraMessages,
        unexpectedRecipients: unexpected,
        neverSent: notSent.length,
        neverSentOutcomes: unsentOutcomes,
        neverSentNorSkipped: lost,
        countsCheck: {
          targetedVsExpected: view.counts.targeted - expected.size,
          outcomesVsTargeted: view.counts.sent + view.counts.failed + view.counts.skipped - view.counts.targeted,
          sentVsOutbox: view.counts.sent - sends.messages,
        },
      },
      queuesAtEnd: depthsAtEnd,
      deadLettered: { jobs: deadLettered.jobs, recipientsOfThisBroadcast: deadLettered.recipientsByBroadcast[created.id] ?? 0 },
      lostBreakdown: { inDeadLetterQueues: lostInDeadLetters, stillQueuedAtTimeout: lostOnQueues, jobDeletedUnfinished: lostDropped },
      sendJobReceiveCounts: timing.receiveCounts,
      memory: {
        note: 'whole process: dynalite (in-memory table), the SQS emulator, every function and the sandbox outbox share it',
        baselineRss: baseline.rss,
        baselineHeapUsed: baseline.heapUsed,
        fanOutPeakRss: fanOutPeak.rss,
        fanOutPeakHeapUsed: fanOutPeak.heapUsed,
        broadcastPeakRss: broadcastPeak.rss,
        broadcastPeakHeapUsed: broadcastPeak.heapUsed,
        liveHeapAfterFanOut: liveAfterFanOut?.heapUsed ?? NaN,
      },
      localMachine: {
        cpuCoresBusy: wallSeconds > 0 ? cpuSeconds / wallSeconds : undefined,
        hostStealShare: hostStolen,
        sdkRequestsPerSecond: wallSeconds > 0 ? sdkRequests.requests / wallSeconds : undefined,
      },
      phases: {
        seed: summarise(seedCounts),
        fanOutAndSend: summarise(countsBetween(beforeBroadcast.counts, afterSends.counts)),
        receiptTail: summarise(countsBetween(afterSends.counts, afterReceipts.counts)),
      },
      analysis,
      goals,
    };
    results.main = mainRun;
    results.notes = notesFor(mainRun, mps);
    save();
    log(`broadcast ${watched.outcome}: ${sends.messages} sent in ${wallSeconds.toFixed(1)} s`);

    // 3. An urgent broadcast while a bulk backlog is sending.
    let urgentRun: Record<string, unknown> | undefined;
    if (options.urgent) {
      urgentRun = await urgentUnderBulk(stack, observer, api, recorder, topics, mps, options);
      results.urgent = urgentRun;
      save();
    }

    // 4. Fan-out memory at two sizes, each in a process of its own.
    if (options.memoryCheck) {
      results.memoryCheck = await memoryCheck(options);
      save();
    }

    results.stackErrors = { count: stackErrors.length, first: [...new Set(stackErrors.map((line) => line.replace(/\d+/g, '#')))].slice(0, 5) };
    const aborted = stackErrors.filter((line) => /AbortError|aborted/i.test(line)).length;
    if (aborted > 0) {
      (results.notes as string[]).push(
        `${aborted} invocations were aborted by middy at the function's timeout (the local runtime passes Lambda's deadline: sender 60 s, fan-out 120 s), ` +
          'because locally they ran that long; their records stay on the queue and come back after the visibility timeout (6× the function timeout), stretching the tail.',
      );
    }
    results.finishedAt = new Date().toISOString();
    save();
    console.log(render(results, mainRun, urgentRun, seed, options, mps, topics, stackErrors.length, results.notes as string[]));
    log(`results written to ${jsonOut}`);
    return 0;
  } catch (error) {
    results.error = (error as Error).stack ?? String(error);
    save();
    throw error;
  } finally {
    memory.stop();
    observer.close();
    await Promise.race([stack.stop(), sleep(30_000)]);
  }
}

/** What a reader needs to interpret this run's numbers, from what happened in it. */
function notesFor(
  run: {
    timings: { achievedSendRate?: number; peakSendsInOneSecond?: number };
    provider: { throttled: number };
    sendJobReceiveCounts: Record<string, Record<string, number>>;
    lostBreakdown: { inDeadLetterQueues: number; jobDeletedUnfinished: number };
    localMachine: { cpuCoresBusy?: number; hostStealShare?: number };
  },
  mps: number | undefined,
): string[] {
  const notes: string[] = [];
  const peak = run.timings.peakSendsInOneSecond ?? 0;
  const average = run.timings.achievedSendRate ?? 0;
  if (mps && run.provider.throttled === 0 && average < 0.95 * mps) {
    notes.push(
      `The local stack did not sustain the provider's ${mps} msg/s (average ${fixed(average, 1)}, busiest second ${peak}) and drew no 429s: the rate figure measures ` +
        'this machine, not pacing. Pass a lower --mps (e.g. 20) to see the senders paced to the provider rate.',
    );
  }
  const counts = Object.entries(run.sendJobReceiveCounts)
    .filter(([functionId]) => functionId.startsWith('send'))
    .flatMap(([, byCount]) => Object.keys(byCount).map(Number));
  if (counts.some((count) => count > 1)) {
    notes.push(
      'Some send jobs were received more than once. The senders hand the unfinished rest of a batch back as a new job (with an attempt count of ' +
        'its own), so a repeat receive means a function was stopped at its timeout or a batch was held for quiet hours.',
    );
  }
  if (run.lostBreakdown.jobDeletedUnfinished > 0) {
    notes.push(
      `${run.lostBreakdown.jobDeletedUnfinished} recipients were in send jobs deleted from the queue unfinished: a record whose send failed was reported ` +
        'to the poller as a success. (The one cause seen so far, a BatchProcessor shared by overlapping local invocations, was fixed in 4e5fbfe.)',
    );
  }
  if (run.lostBreakdown.inDeadLetterQueues > 0) {
    notes.push(`${run.lostBreakdown.inDeadLetterQueues} recipients are parked in a dead-letter queue: a send job failed in a way no retry fixes (see stackErrors); \`crier dead-letters\` shows and redrives them.`);
  }
  if ((run.localMachine.hostStealShare ?? 0) > 0.05) {
    notes.push(
      `The host took ${fixed(100 * (run.localMachine.hostStealShare ?? 0), 0)}% of this machine's CPU time while it sent (steal time): every part of the local stack ran late, ` +
        'so rates, 429s and durations measure the neighbours as much as crier. Run again when the machine is quiet.',
    );
  }
  if ((run.localMachine.cpuCoresBusy ?? 0) > 0.85) {
    notes.push(
      `The process was CPU-bound (${fixed(run.localMachine.cpuCoresBusy ?? 0, 2)} cores busy, Node runs JavaScript on one): queueing for that core inflates every observed duration, ` +
        'hence the second Lambda estimate at AWS latencies.',
    );
  }
  return notes;
}

export function summarise(counts: CounterSnapshot) {
  const all = totals(counts);
  const sqs = totals(counts, 'SQS');
  const dynamo = totals(counts, 'DynamoDB');
  return {
    requests: all.requests - all.emptyReceives,
    emptyReceives: all.emptyReceives,
    sqsRequests: sqs.requests - sqs.emptyReceives,
    dynamoRequests: dynamo.requests,
    dynamoWriteUnits: dynamo.writeUnits,
    dynamoReadUnits: dynamo.readUnits,
  };
}

async function urgentUnderBulk(
  stack: LocalStack,
  observer: Observer,
  api: AdminApi,
  recorder: InvocationRecorder,
  topics: string[],
  mps: number | undefined,
  options: Options,
): Promise<Record<string, unknown>> {
  const bulk = await api.expect<BroadcastView>(201, 'POST', '/v1/broadcasts', {
    topics,
    body: 'Have your say on the draft budget: consultation open until the end of the month. cardiff.gov.uk/budget',
    priority: 'normal',
    whatsappTemplate: BENCH_TEMPLATE,
  });
  log(`urgent run: bulk broadcast ${bulk.id} created; waiting for its backlog to build`);
  const backlogDeadline = Date.now() + 5 * 60_000;
  let bulkProgress: BroadcastProgress | undefined;
  while (Date.now() < backlogDeadline) {
    bulkProgress = await observer.broadcast(bulk.id);
    if (bulkProgress && bulkProgress.fanOutPending <= 0 && sendsOf(stack, bulk.id).messages > 0) break;
    await sleep(250);
  }
  await sleep(2_000);
  const before = { timing: recorder.snapshot(), stats: { ...stack.sandbox.stats } };
  const bulkSentBefore = sendsOf(stack, bulk.id).messages;
  const urgentCreatedAt = Date.now();
  const urgent = await api.expect<BroadcastView>(201, 'POST', '/v1/broadcasts', {
    topics: [URGENT_TOPIC.id],
    body: 'Collision on the A4161 Newport Road inbound: expect long delays for the next hour, use alternative routes.',
    priority: 'urgent',
    whatsappTemplate: BENCH_TEMPLATE,
  });
  log(`urgent run: urgent broadcast ${urgent.id} created with ${bulkSentBefore} of the bulk broadcast sent`);
  const watched = await watchBroadcast(stack, observer, urgent.id, {
    deadline: urgentCreatedAt + options.timeoutMin * 60_000,
    label: 'urgent',
    idleLanes: ['fanOut', 'sendUrgent'],
  });
  const timing = timingBetween(before.timing, recorder.snapshot());
  const urgentSends = sendsOf(stack, urgent.id);
  // Everything else the provider carried meanwhile: the bulk broadcast, and whatever the measured
  // broadcast still had on the bulk lane if it had timed out.
  const bulkSends = stack.sandbox.outbox.filter(
    (message) =>
      !message.messageId.startsWith(`${urgent.id}-`) &&
      Date.parse(message.createdAt) >= urgentCreatedAt &&
      Date.parse(message.createdAt) <= (urgentSends.lastAt ?? watched.doneAt),
  ).length;
  const otherAnswers = { accepted: 0, throttled: 0, failed: 0, other: 0 };
  for (const id of Object.keys(timing.providerAnswers)) {
    if (id === urgent.id) continue;
    const answers = providerAnswers(timing, id);
    otherAnswers.accepted += answers.accepted;
    otherAnswers.throttled += answers.throttled;
    otherAnswers.failed += answers.failed;
    otherAnswers.other += answers.other;
  }
  const view = await api.expect<BroadcastView>(200, 'GET', `/v1/broadcasts/${urgent.id}`);
  const bulkView = await api.expect<BroadcastView>(200, 'GET', `/v1/broadcasts/${bulk.id}`);
  // The bulk broadcast was only there to be a backlog: cancelled rather than waited for.
  const cancelled = await api.call('POST', `/v1/broadcasts/${bulk.id}/cancel`);
  log(`urgent run: urgent ${watched.outcome}; bulk broadcast cancelled (${cancelled.status}) with ${bulkView.counts.sent} of ${bulkView.counts.targeted} sent`);
  return {
    urgentBroadcastId: urgent.id,
    bulkBroadcastId: bulk.id,
    outcome: watched.outcome,
    urgentCounts: view.counts,
    firstSendSeconds: urgentSends.firstAt !== undefined ? (urgentSends.firstAt - urgentCreatedAt) / 1000 : undefined,
    lastSendSeconds: urgentSends.lastAt !== undefined ? (urgentSends.lastAt - urgentCreatedAt) / 1000 : undefined,
    idealSeconds: mps ? view.counts.targeted / mps : undefined,
    urgentMessages: urgentSends.messages,
    urgentNeverSent: Math.max(0, view.counts.targeted - urgentSends.recipients - view.counts.skipped),
    urgentDuplicateRecipients: [...urgentSends.perRecipient.values()].filter((count) => count > 1).length,
    urgentProvider: providerAnswers(timing, urgent.id),
    bulkProviderDuringUrgent: otherAnswers,
    bulkSentBeforeUrgent: bulkSentBefore,
    bulkSentWhileUrgentSending: bulkSends,
    bulkCountsAtCancel: bulkView.counts,
  };
}

/**
 * Fan-out peak memory at 10,000 and 100,000 residents (by default), each in a child process of its
 * own: one local stack per process, and a fresh heap for each size. The senders run meanwhile (the
 * stack cannot hold them back), so growth includes what they write, not only the fan-out's pages.
 */
async function memoryCheck(options: Options): Promise<Record<string, unknown>[]> {
  const runs: Record<string, unknown>[] = [];
  for (const subscribers of options.memoryCheckSizes) {
    const out = join(tmpdir(), `crier-bench-memory-${process.pid}-${subscribers}.json`);
    log(`memory check: ${subscribers} residents in a child process (seeding and fan-out only)`);
    const args = [
      ...process.execArgv,
      process.argv[1] ?? 'bench/run.ts',
      '--fan-out-only',
      '--subscribers',
      String(subscribers),
      '--mps',
      String(options.mps),
      '--shards',
      String(options.shards),
      '--topics',
      String(options.topics),
      '--seed-mode',
      options.seedMode,
      '--concurrency',
      String(options.concurrency),
      '--json-out',
      out,
    ];
    const code = await new Promise<number | null>((resolveExit) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
      const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMin * 2 * 60_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolveExit(exitCode);
      });
    });
    try {
      const child = JSON.parse(readFileSync(out, 'utf8')) as { fanOutMemory?: Record<string, unknown>; error?: string };
      runs.push({ subscribers, exitCode: code, ...(child.fanOutMemory ?? { error: child.error ?? 'no result' }) });
    } catch {
      runs.push({ subscribers, exitCode: code, error: 'the child process wrote no results (killed at its time limit?)' });
    }
    rmSync(out, { force: true });
  }
  return runs;
}

function unsentOutcomeOf(outcomes: Map<string, { status: string }>, broadcastId: string, phone: string): string | undefined {
  return outcomes.get(broadcastMessageId(broadcastId, phone))?.status;
}

function pendingIn(depths: Record<string, QueueDepth>, suffix: string): number {
  return Object.entries(depths)
    .filter(([name]) => name.endsWith(suffix))
    .reduce((sum, [, depth]) => sum + pending(depth), 0);
}

const options = parseOptions(process.argv);
main(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: crashed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
