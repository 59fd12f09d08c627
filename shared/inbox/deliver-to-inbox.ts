import { generalDepartment, type Topic } from '../domain/model.js';
import { broadcastMessageId } from '../sending/send.js';
import type { IntentContext, IntentOutcome } from '../consent/intent-context.js';

const RECENT_BROADCASTS_PER_TOPIC = 5;

/** One formatter per time zone (a deployment has one): building one is far dearer than using it. */
const calendarDayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "Once a day" means the residents' day, not UTC's: in summer the UTC date changes at 01:00 in
 * the UK. Their day is the deployment's time zone's (TIME_ZONE, as quiet hours use), as YYYY-MM-DD.
 */
function calendarDay(at: string, timeZone: string): string {
  let format = calendarDayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    calendarDayFormats.set(timeZone, format);
  }
  return format.format(new Date(at));
}

/**
 * A text that is not a command goes to a department's inbox, linked to the broadcast the resident
 * most likely answered: the latest one of their topics that was actually sent to them. It gets
 * at most one automatic acknowledgement per resident per day.
 *
 * The link is decided here, once, at receipt, and kept on the entry (`broadcastId`): the inbox's
 * filter and its pages name it without reading the resident's messages again, and it does not
 * move when a later broadcast reaches them. No time window: a resident answering a week-old
 * notice is still answering it, and nothing newer reached them meanwhile.
 */
export async function deliverToInbox(context: IntentContext): Promise<IntentOutcome> {
  const { deps, inbound, at } = context;
  const subscriptions = await deps.stores.subscribers.subscriptions(inbound.from);
  const topics = (await Promise.all([...new Set(subscriptions.map((s) => s.topicId))].map((id) => deps.stores.topics.get(id)))).filter(
    (topic): topic is Topic => topic !== undefined,
  );
  const answered = await lastBroadcastReceived(context, topics);
  const owner = answered?.topic ?? topics[0];
  const department = owner?.department ?? generalDepartment;
  await deps.stores.inbox.add({
    department,
    provider: inbound.provider,
    providerMessageId: inbound.providerMessageId,
    from: inbound.from,
    channel: inbound.channel,
    body: inbound.body,
    receivedAt: at,
    broadcastId: answered?.broadcastId,
    topicId: owner?.id,
    // Our number or address they wrote to: staff's replies from the inbox go from it.
    to: inbound.to,
    handled: false,
  });
  const firstToday = await deps.stores.subscribers.claimDailyAcknowledgement(inbound.from, calendarDay(at, context.timeZone), at);
  // Words for a person, not a command: a YES or SÍ with nothing to confirm tells no language to keep.
  return { ...(firstToday ? { reply: { id: 'inboxAcknowledgement', purpose: 'answer', department } } : {}), toldLanguage: null };
}

async function lastBroadcastReceived(
  { deps, inbound }: IntentContext,
  topics: Topic[],
): Promise<{ broadcastId: string; topic: Topic } | undefined> {
  const candidates = (
    await Promise.all(
      topics.map(async (topic) =>
        (await deps.stores.broadcasts.recentForTopic(topic.id, RECENT_BROADCASTS_PER_TOPIC)).map((recent) => ({ ...recent, topic })),
      ),
    )
  )
    .flat()
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const candidate of candidates) {
    const message = await deps.stores.messages.get(broadcastMessageId(candidate.broadcastId, inbound.from));
    if (message && message.status !== 'skipped' && message.status !== 'failed') return candidate;
  }
  return undefined;
}
