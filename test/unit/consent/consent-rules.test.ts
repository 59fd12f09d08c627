import { describe, expect, it } from 'vitest';
import {
  channelOptOutOf,
  consentRecordSubject,
  consentVerdict,
  evidenceRef,
  heldTopicsOf,
  startOutcome,
  stopOn,
  stopOutcome,
  subscribeOutcome,
  yesConfirms,
  type ChannelOptOut,
  type SubscribeOutcome,
  type SubscriptionWrite,
  type SendVerdict,
  type StartOutcome,
  type Stop,
  type StopOutcome,
} from '../../../shared/consent/consent-rules.js';
import type { Channel, ConsentEvidence, PendingConfirmation, SubscriberProfile, Subscription } from '../../../shared/domain/model.js';

const T1 = '2025-03-01T09:00:00.000Z';
const T2 = '2025-03-01T10:00:00.000Z';
const PHONE = '+447700900101';

const inbound: ConsentEvidence = { kind: 'inbound', provider: 'twilio', providerMessageId: 'SM1', text: 'STOP' };
const admin: ConsentEvidence = { kind: 'admin', actor: 'key-operator', reason: 'asked by phone' };
const imported: ConsentEvidence = { kind: 'import', batchId: 'batch-1', actor: 'key-operator', collectedBy: 'library', collectedAt: T1, method: 'paper form' };

describe('evidenceRef', () => {
  it.each<[string, ConsentEvidence, string]>([
    ['an inbound message: by its provider and provider id', inbound, 'twilio:SM1'],
    ['a staff change: by who made it and when', admin, `admin:key-operator:${T2}`],
    ['an import: by its batch alone, whenever the row was written', imported, 'import:batch-1'],
  ])('%s', (_case, evidence, expected) => {
    // Prepare / Act
    const ref = evidenceRef(evidence, T2);

    // Assess
    expect(ref).toBe(expected);
  });
});

describe('consentRecordSubject', () => {
  it.each<[string, Parameters<typeof consentRecordSubject>[0], string | undefined, string]>([
    ['a JOIN: its action, channel and topic', { action: 'opt_in', channel: 'sms', topicId: 'parks' }, undefined, 'opt_in#sms#parks'],
    ['a STOP, about no topic', { action: 'opt_out', channel: 'whatsapp', topicId: undefined }, undefined, 'opt_out#whatsapp#*'],
    ['a language inferred from a text that also set an area: its own part', { action: 'profile', channel: 'sms', topicId: undefined }, 'language', 'profile#sms#*#language'],
  ])('%s', (_case, event, part, expected) => {
    // Prepare / Act
    const subject = consentRecordSubject(event, part);

    // Assess
    expect(subject).toBe(expected);
  });
});

describe('stopOn', () => {
  it('holds the topics of the STOP’s channel only, with the evidence’s reference', () => {
    // Prepare
    const subscriptions: Subscription[] = [
      { phone: PHONE, channel: 'sms', topicId: 'parks', since: T1 },
      { phone: PHONE, channel: 'whatsapp', topicId: 'traffic', since: T1 },
      { phone: PHONE, channel: 'sms', topicId: 'youth', since: T1 },
    ];

    // Act
    const stop = stopOn('sms', subscriptions, T2, inbound);

    // Assess
    expect(stop).toEqual({ at: T2, ref: 'twilio:SM1', subscribedTopics: ['parks', 'youth'] });
  });
});

describe('stopOutcome', () => {
  const stop: Stop = { at: T2, ref: 'twilio:SM2', subscribedTopics: ['parks'] };
  it.each<[string, ChannelOptOut, StopOutcome]>([
    [
      'not opted out: opts out now, holds the channel’s topics, drops a pending JOIN',
      {},
      { newlyOptedOut: true, optOut: { optedOutAt: T2, heldTopics: ['parks'], ref: 'twilio:SM2' }, dropPending: true, remove: ['parks'] },
    ],
    [
      'a replay of the same STOP: new again, keeping the first attempt’s time and held topics',
      { optedOutAt: T1, heldTopics: ['parks', 'youth'], ref: 'twilio:SM2' },
      { newlyOptedOut: true, optOut: { optedOutAt: T1, heldTopics: ['parks', 'youth'], ref: 'twilio:SM2' }, dropPending: true, remove: ['parks'] },
    ],
    ['opted out by another STOP: not new, nothing kept changes', { optedOutAt: T1, heldTopics: ['youth'], ref: 'twilio:SM1' }, { newlyOptedOut: false, remove: ['parks'] }],
    ['opted out before references were kept: not new', { optedOutAt: T1, heldTopics: ['youth'] }, { newlyOptedOut: false, remove: ['parks'] }],
  ])('%s', (_case, current, expected) => {
    // Prepare / Act
    const outcome = stopOutcome(current, stop);

    // Assess
    expect(outcome).toEqual(expected);
  });
});

describe('subscribeOutcome', () => {
  it.each<[string, SubscriptionWrite, boolean, SubscribeOutcome]>([
    ['a JOIN subscribes and lifts the channel’s opt-out', 'join', false, { subscribes: true, action: 'opt_in', liftsOptOut: true }],
    ['a YES to a confirmed opt-in subscribes, recorded as a confirmation, and lifts the opt-out', 'confirm', false, { subscribes: true, action: 'confirm', liftsOptOut: true }],
    ['a START’s topic comes back without lifting: START lifts the opt-out itself, last', 'restore', false, { subscribes: true, action: 'opt_in', liftsOptOut: false }],
    ['an import subscribes and never lifts an opt-out', 'import', false, { subscribes: true, action: 'opt_in', liftsOptOut: false }],
    ['a JOIN to a topic the resident is already in changes nothing, opt-out included', 'join', true, { subscribes: false }],
    ['a YES when already subscribed changes nothing', 'confirm', true, { subscribes: false }],
    ['a START’s topic already back (a retried START) changes nothing', 'restore', true, { subscribes: false }],
    ['an import of a subscription that exists changes nothing', 'import', true, { subscribes: false }],
  ])('%s', (_case, how, alreadySubscribed, expected) => {
    // Prepare / Act
    const outcome = subscribeOutcome(how, alreadySubscribed);

    // Assess
    expect(outcome).toEqual(expected);
  });
});

describe('yesConfirms', () => {
  const pending: PendingConfirmation = { topicId: 'youth', channel: 'sms', requestedAt: '2025-03-01T09:00:00.000Z' };
  it.each<[string, { archivedAt?: string } | undefined, string, boolean]>([
    ['a YES an hour after the JOIN, the topic open', {}, '2025-03-01T10:00:00.000Z', true],
    ['a YES on the last millisecond of the 24 hours', {}, '2025-03-02T09:00:00.000Z', true],
    ['a YES a millisecond after the 24 hours', {}, '2025-03-02T09:00:00.001Z', false],
    ['a YES in time for a topic archived since the JOIN', { archivedAt: '2025-03-01T09:30:00.000Z' }, '2025-03-01T10:00:00.000Z', false],
    ['a YES in time for a topic deleted since the JOIN', undefined, '2025-03-01T10:00:00.000Z', false],
  ])('%s', (_case, topic, at, expected) => {
    // Prepare / Act
    const confirms = yesConfirms(pending, topic, at);

    // Assess
    expect(confirms).toBe(expected);
  });
});

describe('startOutcome', () => {
  const open = (topicId: string) => topicId !== 'closed';
  it.each<[string, ChannelOptOut, StartOutcome]>([
    ['not opted out: nothing to lift', {}, { lifted: false }],
    ['opted out: the held topics still open, in the order held', { optedOutAt: T1, heldTopics: ['youth', 'closed', 'parks'] }, { lifted: true, resubscribe: ['youth', 'parks'] }],
    ['opted out holding nothing: lifted, nothing to restore', { optedOutAt: T1 }, { lifted: true, resubscribe: [] }],
    ['opted out holding only closed topics: lifted, nothing to restore', { optedOutAt: T1, heldTopics: ['closed'] }, { lifted: true, resubscribe: [] }],
  ])('%s', (_case, current, expected) => {
    // Prepare / Act
    const outcome = startOutcome(current, open);

    // Assess
    expect(outcome).toEqual(expected);
  });
});

describe('heldTopicsOf', () => {
  it.each<[string, ChannelOptOut, readonly string[]]>([
    ['not opted out: none to ask about', { heldTopics: ['parks'] }, []],
    ['opted out: the held topics', { optedOutAt: T1, heldTopics: ['parks', 'youth'] }, ['parks', 'youth']],
    ['opted out holding nothing: none', { optedOutAt: T1 }, []],
  ])('%s', (_case, current, expected) => {
    // Prepare / Act
    const held = heldTopicsOf(current);

    // Assess
    expect(held).toEqual(expected);
  });
});

function aProfile(optedOut: SubscriberProfile['optedOut'] = {}, heldTopics: SubscriberProfile['heldTopics'] = {}): SubscriberProfile {
  return { phone: PHONE, createdAt: T1, optedOut, heldTopics, language: undefined, languageSource: undefined, area: undefined, ageBand: undefined, whatsappWindowOpenedAt: undefined };
}

describe('channelOptOutOf', () => {
  it.each<[string, SubscriberProfile | undefined, Channel, ChannelOptOut]>([
    ['no profile', undefined, 'sms', { optedOutAt: undefined, heldTopics: undefined }],
    ['opted out on the channel', aProfile({ sms: T1 }, { sms: ['parks'] }), 'sms', { optedOutAt: T1, heldTopics: ['parks'] }],
    ['opted out on the other channel only', aProfile({ whatsapp: T1 }, { whatsapp: ['parks'] }), 'sms', { optedOutAt: undefined, heldTopics: undefined }],
  ])('%s', (_case, profile, channel, expected) => {
    // Prepare / Act
    const optOut = channelOptOutOf(profile, channel);

    // Assess
    expect(optOut).toEqual(expected);
  });
});

describe('consentVerdict', () => {
  const inTopic = aProfile();
  const optedOutOnWhatsApp = aProfile({ whatsapp: T1 });
  it.each<[string, SubscriberProfile | undefined, Channel, boolean | undefined, SendVerdict]>([
    ['erased (no profile): opted out', undefined, 'sms', true, { skip: 'opted_out' }],
    ['opted out on the channel, still indexed: opted out', aProfile({ sms: T1 }), 'sms', true, { skip: 'opted_out' }],
    ['opted out on the other channel, in the topic: sent', optedOutOnWhatsApp, 'sms', true, { profile: optedOutOnWhatsApp }],
    ['in the topic: sent', inTopic, 'sms', true, { profile: inTopic }],
    ['left the topic: left topic', aProfile(), 'sms', false, { skip: 'left_topic' }],
    ['opted out and left the topic: opted out', aProfile({ sms: T1 }), 'sms', false, { skip: 'opted_out' }],
    ['a message to no topic, not opted out: sent', inTopic, 'sms', undefined, { profile: inTopic }],
    ['a message to no topic, opted out: opted out', aProfile({ sms: T1 }), 'sms', undefined, { skip: 'opted_out' }],
    ['a message to no topic, erased: opted out', undefined, 'sms', undefined, { skip: 'opted_out' }],
  ])('%s', (_case, profile, channel, subscribed, expected) => {
    // Prepare / Act
    const verdict = consentVerdict(profile, channel, subscribed);

    // Assess
    expect(verdict).toEqual(expected);
  });
});
