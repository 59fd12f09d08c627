import { functionDefinition, functionIds } from '../functions/catalog.js';
import { broadcastMessageId } from '../shared/sending/send.js';
import type { Bench, Sent } from './cell-state.js';
import type { QueueDepth } from './observer.js';
import type { Options } from './options.js';
import { pendingIn, sleep } from './progress.js';
import type { SendTimes } from './sends.js';
import { buildTimeline } from './timeline.js';
import { threadSamples } from './machine.js';
import { pacedRate } from './verdict.js';

/* What became of a measured broadcast: its receipts waited for, its recipients accounted for, its busiest sender's timeline. */

/** The longest any stream consumer's records gather before a batch (the catalog's, as in AWS). */
const STREAM_BATCHING_WINDOW_MS = Math.max(
  0,
  ...functionIds.map((id) => functionDefinition(id).trigger).flatMap((trigger) => (trigger.kind === 'tableStream' ? [trigger.batchingWindowSeconds * 1000] : [])),
);

/** Receipts still on their way after the last send: waits for them (bounded by the deadline and by a quiet spell). */
export async function waitForReceipts(bench: Bench, options: Options, sent: Sent): Promise<void> {
  const receiptDeadline = Math.min(sent.deadline + 60_000, Date.now() + Math.max(10_000, options.receiptDelayMs * 20));
  let progress = sent.watched.last;
  let stableSince = Date.now();
  while (Date.now() < receiptDeadline) {
    const current = await bench.observer.broadcast(sent.id);
    if (current && current.delivered >= current.sent) return;
    if (JSON.stringify(current) !== JSON.stringify(progress)) stableSince = Date.now();
    progress = current;
    // Longer than a receipt batch gathers on the stream: counts do not move within a batch's window.
    if (Date.now() - stableSince > Math.max(3_000, options.receiptDelayMs * 5, STREAM_BATCHING_WINDOW_MS + 1_000)) return;
    await sleep(250);
  }
}

/** Who in the audience got nothing, who got more than one message, and where the missing ones are. */
export async function accountRecipients(bench: Bench, sent: Sent, sends: SendTimes, expected: Map<string, string>, depthsAtEnd: Record<string, QueueDepth>) {
  const notSent = [...expected.keys()].filter((phone) => !sends.perRecipient.has(phone));
  const outcomes = await bench.observer.messageOutcomes(notSent.map((phone) => broadcastMessageId(sent.id, phone)));
  const outcomeOf = (phone: string) => {
    const outcome = outcomes.get(broadcastMessageId(sent.id, phone));
    return outcome ? `${outcome.status}${outcome.skipReason ? ` (${outcome.skipReason})` : ''}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}` : 'no message record';
  };
  const unsentOutcomes: Record<string, number> = {};
  for (const phone of notSent) unsentOutcomes[outcomeOf(phone)] = (unsentOutcomes[outcomeOf(phone)] ?? 0) + 1;
  const deadLettered = pendingIn(depthsAtEnd, 'DLQ') > 0 ? await bench.observer.deadLetteredRecipients() : { jobs: 0, recipientsByBroadcast: {}, phonesByBroadcast: {} };
  // Where the lost ones are: parked in a dead-letter queue, still queued at a time-out, or in a job that left the queue unfinished.
  const deadLetteredPhones = new Set(deadLettered.phonesByBroadcast[sent.id] ?? []);
  const lostPhones = notSent.filter((phone) => !outcomeOf(phone).startsWith('skipped'));
  const inDeadLetterQueues = lostPhones.filter((phone) => deadLetteredPhones.has(phone)).length;
  const stillQueuedAtTimeout = sent.watched.outcome === 'timed out' ? lostPhones.length - inDeadLetterQueues : 0;
  return {
    recipients: {
      outboxMessages: sends.messages,
      outboxRecipients: sends.recipients,
      duplicateRecipients: [...sends.perRecipient.values()].filter((count) => count > 1).length,
      extraMessages: [...sends.perRecipient.values()].reduce((sum, count) => sum + count - 1, 0),
      unexpectedRecipients: [...sends.perRecipient.keys()].filter((phone) => !expected.has(phone)).length,
      neverSent: notSent.length,
      neverSentOutcomes: unsentOutcomes,
      neverSentNorSkipped: lostPhones.length,
    },
    deadLettered: { jobs: deadLettered.jobs, recipientsOfThisBroadcast: deadLettered.recipientsByBroadcast[sent.id] ?? 0 },
    lostBreakdown: { inDeadLetterQueues, stillQueuedAtTimeout, jobDeletedUnfinished: lostPhones.length - inDeadLetterQueues - stillQueuedAtTimeout },
  };
}

/** The busiest sender's timeline, one row a second, from what the bench saw of the pacer, the provider and the pollers. */
export function timelineOf(bench: Bench, sent: Sent, sends: SendTimes, mps: number | undefined) {
  const channel = sends.busiestSender?.channel ?? 'none';
  const inWindow = (at: number) => at >= sent.createdAt && at <= sent.watched.doneAt;
  const prefix = `${sent.id}-`;
  return buildTimeline({
    channel,
    origin: sent.createdAt,
    slotRate: mps ? pacedRate(mps) : undefined,
    paceWrites: bench.paceWrites.filter(({ at }) => inWindow(at)),
    sends: bench.stack.sandbox.outbox.filter((message) => message.messageId.startsWith(prefix) && message.channel === channel).map((message) => Date.parse(message.createdAt)),
    throttled: bench.recorder.providerCalls.filter((call) => call.broadcastId === sent.id && call.status === '429' && (call.channel ?? channel) === channel).map((call) => call.at),
    invocations: bench.recorder.spans.filter((span) => (span.functionId === 'sendBulk' || span.functionId === 'sendUrgent') && span.end >= sent.createdAt && span.start <= sent.watched.doneAt),
    // The loop the senders' timers wait on: their own thread's when they have one.
    eventLoop: senderLoopSamples(sent.machine.samples),
  });
}

function senderLoopSamples(samples: Sent['machine']['samples']): { at: number; active: number; idle: number }[] {
  const senders = threadSamples(samples, 'senders');
  return senders.length > 0 ? senders : samples;
}
