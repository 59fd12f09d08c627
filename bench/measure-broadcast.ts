import type { BroadcastView } from './admin-api.js';
import { countsBetween, totals } from './request-counts.js';
import { accountRecipients, timelineOf, waitForReceipts } from './broadcast-outcome.js';
import type { Audience, Bench, Sent } from './cell-state.js';
import { judgeRateRefusals } from './rate-refusals.js';
import { evaluateGoals } from './goals.js';
import { timingBetween } from './lambda-timing.js';
import type { MemorySampler } from './memory.js';
import type { Options } from './options.js';
import { analyse, summarise } from './report.js';
import { achievedRate, providerAnswers, sendsOf } from './sends.js';
import { pacedRate, pacedShare, rateVerdict } from './verdict.js';
import { lateSendToleranceMs } from '../shared/pacing/throttle-rules.js';

/* What a cell reports of its broadcast once it is over: the figures of the JSON output's `main`. */

export type MainRun = Awaited<ReturnType<typeof measureBroadcast>>;

/** Everything measured about the broadcast once it is over: outcomes, rates, requests, cost, machine, timeline. */
export async function measureBroadcast(bench: Bench, memory: MemorySampler, options: Options, mps: number | undefined, sent: Sent, { seed, expected, seedPhase }: Audience) {
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
  const refusals = judgeRateRefusals(
    bench.stack.sandbox.rateRefusals.filter((refusal) => refusal.messageId.startsWith(`${sent.id}-`)),
    bench.recorder.providerDepartures,
  );
  const goals = evaluateGoals({
    mps,
    achievedRate: rate,
    throttled: answers.throttled,
    throttledLeftApart: refusals.leftOverASecondApart,
    sends: answers.accepted,
    duplicates: accounted.recipients.extraMessages,
    lost: accounted.recipients.neverSentNorSkipped - lostBreakdown.stillQueuedAtTimeout,
    undetermined: lostBreakdown.stillQueuedAtTimeout,
    fanOutRate,
    analysis,
  });
  // The machine over the busiest sender's sending window: the window its rate is measured over.
  const window = sends.busiestSender ? { from: sends.busiestSender.firstAt, to: sends.busiestSender.lastAt } : { from: sent.createdAt, to: sendsDoneAt };
  const load = sent.machine.loadBetween(window.from, Math.max(window.to, window.from + 1), mps ? lateSendToleranceMs(pacedRate(mps)) : undefined);
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
      rateRefusals: refusals,
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
      emulatorsEventLoopUtilisation: load.emulatorsEventLoopUtilisation,
      sendersEventLoopUtilisation: load.sendersEventLoopUtilisation,
      sandboxEdgeEventLoopUtilisation: load.sandboxEdgeEventLoopUtilisation,
      cores: load.cores,
      cpuCoresBusy: load.cpuCoresBusy,
      hostStealShare: load.hostStealShare,
      lateTimerShare: load.lateTimerShare,
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
