import type { Channel, ConsentEvent, ConsentEvidence, PendingConfirmation, SkipReason, SubscriberProfile, Subscription, Topic } from '../domain/model.js';

/*
 * What happens to a resident's consent when they text STOP or START, and whether a broadcast may
 * still reach them: pure rules over plain data. The subscriber stores (DynamoDB and the tests'
 * in-memory one) read and write; these decide the values and the outcome, so no rule is written
 * twice. The DynamoDB store makes each decision atomic with a conditional update that says the
 * same thing in its own words; the store's contract suite holds the two together.
 */

/**
 * What identifies one consent change's evidence: an inbound message by its provider id; a staff
 * (or provider-reported) change by who made it and when, since the same actor makes many.
 */
export function evidenceRef(evidence: ConsentEvidence, at: string): string {
  switch (evidence.kind) {
    case 'inbound':
      return `${evidence.provider}:${evidence.providerMessageId}`;
    case 'import':
      return importEvidenceRef(evidence.batchId);
    case 'admin':
      return `admin:${evidence.actor}:${at}`;
  }
}

/**
 * What a consent record is about: the change, its channel and topic, and `part` to tell apart
 * two records of one kind that the same evidence makes (a text's area and its inferred language).
 * With the evidence's reference after it, it identifies the record: a replay rewrites the one
 * record, and records of the same time are listed in its order, in every store.
 */
export function consentRecordSubject(event: Pick<ConsentEvent, 'action' | 'channel' | 'topicId'>, part?: string): string {
  return `${event.action}#${event.channel}#${event.topicId ?? '*'}${part ? `#${part}` : ''}`;
}

/** An import's evidence by its batch alone, so a retried import rewrites its own record and an undo can find it. */
export function importEvidenceRef(batchId: string): string {
  return `import:${batchId}`;
}

/** A channel's opt-out as a profile keeps it; every field absent: not opted out on that channel. */
export interface ChannelOptOut {
  /** When the STOP that opted the resident out was first handled. */
  optedOutAt?: string;
  /** The topics the resident was in at that STOP, for START to restore. */
  heldTopics?: readonly string[];
  /** The evidence of that STOP (see evidenceRef), so a replay of it is recognised. */
  ref?: string;
}

/** One STOP as it arrives: when, its evidence's reference, and the topics the resident is in on its channel. */
export interface Stop {
  at: string;
  ref: string;
  subscribedTopics: readonly string[];
}

/** A STOP on a channel, from the resident's subscriptions (all channels) and the message's evidence. */
export function stopOn(channel: Channel, subscriptions: readonly Subscription[], at: string, evidence: ConsentEvidence): Stop {
  return { at, ref: evidenceRef(evidence, at), subscribedTopics: subscriptions.filter((s) => s.channel === channel).map((s) => s.topicId) };
}

/**
 * What a STOP does to a channel's opt-out. The first STOP opts out and holds the channel's
 * topics; a replay of that same STOP (same evidence, after a crash) counts as new again, so its
 * confirmation is not lost, but keeps the first attempt's time and held topics: by then some or
 * all subscriptions may already be gone. A JOIN still waiting for its YES is dropped, so a YES
 * after a STOP does not subscribe. Any other STOP while opted out changes nothing and is not new
 * (one confirmation only). Either way the subscriptions on the channel are removed.
 */
export type StopOutcome =
  | { newlyOptedOut: true; optOut: Required<ChannelOptOut>; dropPending: true; remove: readonly string[] }
  | { newlyOptedOut: false; remove: readonly string[] };

export function stopOutcome(current: ChannelOptOut, stop: Stop): StopOutcome {
  const remove = stop.subscribedTopics;
  const firstOrReplay = current.optedOutAt === undefined || current.ref === stop.ref;
  if (!firstOrReplay) return { newlyOptedOut: false, remove };
  return {
    newlyOptedOut: true,
    optOut: { optedOutAt: current.optedOutAt ?? stop.at, heldTopics: current.heldTopics ?? stop.subscribedTopics, ref: stop.ref },
    dropPending: true,
    remove,
  };
}

/**
 * How a subscription comes to be written. A resident's JOIN, or their YES to a confirmed opt-in,
 * asks for messages again on that channel, so a new subscription lifts the channel's opt-out
 * whole (its time, held topics and reference; a JOIN still waiting for its YES stays). START
 * lifts the opt-out itself, once, after its topics are back, so a START retried part-way still
 * finds them held; an import never lifts one: the resident did not text, and one who texts STOP
 * while the import runs stays out. A subscription that already exists changes nothing, not even
 * an opt-out standing beside it (an import's, made while opted out).
 */
export type SubscriptionWrite = 'join' | 'confirm' | 'restore' | 'import';

export type SubscribeOutcome = { subscribes: false } | { subscribes: true; action: 'opt_in' | 'confirm'; liftsOptOut: boolean };

export function subscribeOutcome(how: SubscriptionWrite, alreadySubscribed: boolean): SubscribeOutcome {
  if (alreadySubscribed) return { subscribes: false };
  return { subscribes: true, action: how === 'confirm' ? 'confirm' : 'opt_in', liftsOptOut: how === 'join' || how === 'confirm' };
}

/** A resident has this long to answer YES to a confirmed-opt-in topic. */
export const CONFIRMATION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether a YES at `at` confirms the JOIN waiting for it: its topic still takes subscribers (exists, not archived) and the window has not passed. */
export function yesConfirms(pending: PendingConfirmation, topic: Pick<Topic, 'archivedAt'> | undefined, at: string): boolean {
  return topic !== undefined && topic.archivedAt === undefined && Date.parse(at) - Date.parse(pending.requestedAt) <= CONFIRMATION_WINDOW_MS;
}

/**
 * What a START restores: nothing when the resident is not opted out on the channel (nothing to
 * lift, nothing recorded); else the held topics that still take subscribers, in the order held.
 */
export type StartOutcome = { lifted: false } | { lifted: true; resubscribe: string[] };

export function startOutcome(current: ChannelOptOut, stillOpen: (topicId: string) => boolean): StartOutcome {
  if (current.optedOutAt === undefined) return { lifted: false };
  return { lifted: true, resubscribe: (current.heldTopics ?? []).filter(stillOpen) };
}

/** The held topics a START has to ask about (whether each still takes subscribers), before startOutcome decides. */
export function heldTopicsOf(current: ChannelOptOut): readonly string[] {
  return current.optedOutAt === undefined ? [] : (current.heldTopics ?? []);
}

/** A channel's opt-out as read from a profile (the reference stays with the store: no caller needs it). */
export function channelOptOutOf(profile: SubscriberProfile | undefined, channel: Channel): ChannelOptOut {
  return { optedOutAt: profile?.optedOut[channel], heldTopics: profile?.heldTopics[channel] };
}

/**
 * Whether a resident may still be sent a message just before their send: not erased (an erased
 * resident has no profile), not opted out on the channel, and, for a broadcast to a topic, still
 * in that topic on that channel. `subscribed` is undefined for a message to no topic. Allowed:
 * the profile, to compose their message from.
 */
export type SendVerdict = { profile: SubscriberProfile } | { skip: Extract<SkipReason, 'opted_out' | 'left_topic'> };

export function consentVerdict(profile: SubscriberProfile | undefined, channel: Channel, subscribed: boolean | undefined): SendVerdict {
  if (!profile || profile.optedOut[channel] !== undefined) return { skip: 'opted_out' };
  return subscribed === false ? { skip: 'left_topic' } : { profile };
}
