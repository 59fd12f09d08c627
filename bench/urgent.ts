import type { LocalStack } from '../local/stack.js';
import type { AdminApi, BroadcastView } from './admin-api.js';
import { timingBetween, type InvocationRecorder } from './lambda-timing.js';
import type { BroadcastProgress, Observer } from './observer.js';
import type { Options } from './options.js';
import { log, sleep, watchBroadcast } from './progress.js';
import { providerAnswers, sendsOf } from './sends.js';
import { URGENT_TOPIC } from './population.js';

/** A WhatsApp template (a Twilio Content SID shape) for residents outside their 24-hour window. */
export const BENCH_TEMPLATE = { name: 'HX0123456789abcdef0123456789abcdef', parameters: [] };

export async function urgentUnderBulk(
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
