import { quietHoursSchema } from '../../shared/domain/quiet-hours.js';
import { sendWindow, type DeploymentSendWindow } from '../../shared/sending/send-window.js';
import type { LimitDefaults } from '../../shared/ports/dependencies.js';
import type { z } from 'zod';
import type { InboundText, StatusReport } from '../../shared/domain/inbound.js';
import { sendJobSchema, type BroadcastSendJob, type ReplySendJob } from '../../shared/domain/jobs.js';
import {
  broadcastCountsSchema,
  broadcastStatusSchema,
  channelSchema,
  messageStatusSchema,
  prioritySchema,
  roleSchema,
  topicSchema,
  type Broadcast,
  type ConsentEvidence,
  type Principal,
  type Topic,
} from '../../shared/domain/model.js';
import { inboxEntryId } from '../../shared/inbox/entry-id.js';
import type { E164 } from '../../shared/domain/phone.js';
import type { MessageRecord } from '../../shared/sending/message-store.js';
import type { InboxEntry } from '../../shared/inbox/inbox-store.js';
import type { InboundSettings } from '../../shared/ports/dependencies.js';

/**
 * Domain objects for tests: valid defaults, parsed through the domain's own zod schemas where
 * there is one (so a builder cannot produce what the system would refuse), with overrides.
 * Numbers come from Ofcom's drama range: nobody real is ever texted by a test.
 */

export const AT = '2025-03-01T09:00:00.000Z';

export function aPhone(n: number): E164 {
  return `+447700900${String(n).padStart(3, '0')}` as E164;
}

export function aTopic(overrides: Partial<z.input<typeof topicSchema>> = {}): Topic {
  return topicSchema.parse({
    id: 'traffic',
    name: 'Traffic alerts',
    keywords: ['TRAFFIC'],
    department: 'traffic',
    requiresApproval: false,
    createdAt: AT,
    ...overrides,
  });
}

export function aBroadcast(overrides: Partial<Broadcast> = {}): Broadcast {
  const { counts, ...rest } = overrides;
  return {
    id: '01jbroadcast0000000000000a',
    topics: ['traffic'],
    body: 'Queues on the A470 northbound after a collision.',
    priority: prioritySchema.parse('urgent'),
    status: broadcastStatusSchema.parse('sending'),
    department: 'traffic',
    createdBy: 'key-sender',
    createdAt: AT,
    sendAt: undefined,
    startsAt: undefined,
    approval: 'none',
    approvedBy: undefined,
    audience: undefined,
    mode: 'live',
    fanOutPending: 0,
    ...rest,
    counts: broadcastCountsSchema.parse({ targeted: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, skipped: 0, skippedBy: {}, ...counts }),
  };
}

export function aMessageRecord(overrides: Partial<MessageRecord> = {}): MessageRecord {
  const record: MessageRecord = {
    messageId: 'msg-0001',
    broadcastId: '01jbroadcast0000000000000a',
    to: aPhone(101),
    channel: 'sms',
    status: 'sending',
    skipReason: undefined,
    provider: undefined,
    providerMessageId: undefined,
    errorCode: undefined,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
  if (record.status !== 'skipped') messageStatusSchema.parse(record.status);
  channelSchema.parse(record.channel);
  return record;
}

export function aPrincipal(overrides: Partial<Principal> = {}): Principal {
  return {
    keyId: 'key-sender',
    name: 'Traffic team',
    role: roleSchema.parse(overrides.role ?? 'sender'),
    department: 'traffic',
    mode: 'live',
    ...overrides,
  };
}

let sidSequence = 0;

/** A Twilio-shaped message SID, unique within the run. */
export function aMessageSid(): string {
  sidSequence += 1;
  return `SM${sidSequence.toString(16).padStart(32, '0')}`;
}

export function anInboundText(overrides: Partial<InboundText> = {}): InboundText {
  return {
    provider: 'sandbox',
    providerMessageId: aMessageSid(),
    from: aPhone(101),
    channel: 'sms',
    to: '+447700900000',
    body: 'JOIN TRAFFIC',
    ...overrides,
  };
}

export function inboundEvidence(overrides: Partial<Extract<ConsentEvidence, { kind: 'inbound' }>> = {}): ConsentEvidence {
  return { kind: 'inbound', provider: 'sandbox', providerMessageId: aMessageSid(), text: 'JOIN TRAFFIC', ...overrides };
}

export function adminEvidence(overrides: Partial<Extract<ConsentEvidence, { kind: 'admin' }>> = {}): ConsentEvidence {
  return { kind: 'admin', actor: 'key-operator', reason: 'imported from the paper register', ...overrides };
}

export function aStatusReport(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    provider: 'sandbox',
    providerMessageId: aMessageSid(),
    messageId: 'msg-0001',
    status: messageStatusSchema.parse('delivered'),
    errorCode: undefined,
    ...overrides,
  };
}

export function aBroadcastSendJob(overrides: Partial<BroadcastSendJob> = {}): BroadcastSendJob {
  const job = sendJobSchema.parse({
    kind: 'broadcast',
    broadcastId: '01jbroadcast0000000000000a',
    recipients: [
      { phone: aPhone(101), channel: 'sms' },
      { phone: aPhone(102), channel: 'sms' },
    ],
    ...overrides,
  });
  if (job.kind !== 'broadcast') throw new Error('aBroadcastSendJob built another kind of job');
  return job;
}

export function aReplySendJob(overrides: Partial<ReplySendJob> = {}): ReplySendJob {
  const job = sendJobSchema.parse({
    kind: 'reply',
    messageId: 'reply-sandbox-SM0001',
    to: aPhone(101),
    channel: 'sms',
    body: "You're subscribed to Traffic alerts. Reply STOP to stop.",
    purpose: 'confirmation',
    ...overrides,
  });
  if (job.kind !== 'reply') throw new Error('aReplySendJob built another kind of job');
  return job;
}

/** What the inbound use case is configured with; floodLimit is high so only the flood tests meet it. */
export function anInboundSettings(overrides: Partial<InboundSettings> = {}): InboundSettings {
  return { serviceName: 'Cardiff Council alerts', contact: '029 2087 2087', floodLimit: 20, timeZone: 'Europe/London', ...overrides };
}

export function anInboxEntry(overrides: Partial<InboxEntry> = {}): InboxEntry {
  const provider = overrides.provider ?? 'sandbox';
  const providerMessageId = overrides.providerMessageId ?? aMessageSid();
  const entry: InboxEntry = {
    id: inboxEntryId(provider, providerMessageId),
    department: 'traffic',
    provider,
    providerMessageId,
    from: aPhone(101),
    channel: 'sms',
    body: 'The lights on Queen St are out',
    receivedAt: AT,
    broadcastId: undefined,
    topicId: 'traffic',
    handled: false,
    ...overrides,
  };
  channelSchema.parse(entry.channel);
  return entry;
}

/** What broadcasts need beyond stores and queues: the deployment's quiet hours and default limits. */
export function broadcastSettings(
  overrides: { quietHours?: string; timeZone?: string; dailyMessageCap?: number; operatorApprovalAbove?: number } = {},
): { window: DeploymentSendWindow; limits: LimitDefaults } {
  return {
    window: sendWindow(quietHoursSchema.parse(overrides.quietHours ?? '21:00-08:00'), overrides.timeZone ?? 'Europe/London'),
    limits: { dailyMessageCap: overrides.dailyMessageCap ?? 0, operatorApprovalAbove: overrides.operatorApprovalAbove ?? 0 },
  };
}
