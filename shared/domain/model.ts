import { z } from 'zod';
import { languages, type Language, type LanguageSource } from './language.js';
import type { AgeBand } from './profile.js';
import type { MessageContent } from './message-content.js';
import type { TargetingFilters } from './targeting.js';

/** The channels a resident can be reached on. */
export const channelSchema = z.enum(['sms', 'whatsapp']);
export type Channel = z.infer<typeof channelSchema>;

export const prioritySchema = z.enum(['urgent', 'normal']);
export type Priority = z.infer<typeof prioritySchema>;

export const topicIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or dashes, starting with a letter or digit');

/** Keywords are matched case-insensitively; we store them upper-case. */
export const keywordSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,29}$/, 'must be one word of letters, digits or dashes (at most 30)')
  .transform((keyword) => keyword.toUpperCase());

/** A topic's name and keywords in another language (`Ymuno TRAFFIG` for Welsh speakers). */
export const topicAliasSchema = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  keywords: z.array(keywordSchema).max(10).default([]),
});

/**
 * The department of what belongs to no other: topics an operator creates without naming one, the
 * inbox of residents with no topics, replies about no topic (STOP, HELP, AREA…).
 */
export const generalDepartment = 'general';

export const topicSchema = z.object({
  id: topicIdSchema,
  name: z.string().trim().min(1).max(80),
  keywords: z.array(keywordSchema).max(20),
  department: z.string().min(1),
  requiresApproval: z.boolean(),
  /** Joining takes a second step: the resident must reply YES within 24 hours. */
  confirmedOptIn: z.boolean().default(false),
  aliases: z.partialRecord(z.enum(languages), topicAliasSchema).default({}),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().optional(),
  /**
   * An archived topic takes no new subscribers and no broadcasts, and has given up its keywords
   * (kept here as a record of what they were); its subscribers can still STOP.
   */
  archivedAt: z.iso.datetime().optional(),
});
export type Topic = z.infer<typeof topicSchema>;

/** Every keyword that leads to the topic, in any language. */
export function allKeywords(topic: Pick<Topic, 'keywords' | 'aliases'>): string[] {
  return [...new Set([...topic.keywords, ...Object.values(topic.aliases).flatMap((alias) => alias?.keywords ?? [])])];
}

/** The keywords that lead to the topic now: none once it is archived. */
export function activeKeywords(topic: Pick<Topic, 'keywords' | 'aliases' | 'archivedAt'>): string[] {
  return topic.archivedAt === undefined ? allKeywords(topic) : [];
}

/** The topic's name as a resident writing in `language` knows it. */
export function topicNameIn(topic: Pick<Topic, 'name' | 'aliases'>, language: Language): string {
  return topic.aliases[language]?.name ?? topic.name;
}

/** Lifecycle of one outbound message; see `status-precedence.ts` for how updates are ordered. */
export const messageStatusSchema = z.enum([
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'failed',
]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/**
 * A broadcast's lifecycle (see `broadcast-lifecycle.ts` for the moves): a draft is submitted; it
 * waits for a second person's approval where required (or is rejected); once released it is
 * scheduled (a time asked for, or quiet hours) or starts sending at once; it ends sent or
 * cancelled.
 */
export const broadcastStatusSchema = z.enum([
  'draft',
  'pending_approval',
  'scheduled',
  'sending',
  'sent',
  'cancelled',
  'rejected',
]);
export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>;

/** Why a targeted resident was not sent a broadcast. Every one is counted, none is silent. */
export const skipReasonSchema = z.enum([
  'opted_out',
  'duplicate',
  'cancelled',
  'invalid_recipient',
  /** The text needs a profile value (a placeholder without a fallback) the resident never gave. */
  'missing_data',
  /** A WhatsApp resident outside their 24-hour window, and the broadcast has no template for them. */
  'whatsapp_window_closed',
  /** The resident left the topic (on that channel) between the fan-out and their send. */
  'left_topic',
]);
export type SkipReason = z.infer<typeof skipReasonSchema>;

const countSchema = z.number().int().nonnegative();

/**
 * A broadcast's counters. `sent + failed + skipped` reaches `targeted` when every recipient has
 * been processed; `delivered` and `undelivered` come later, from receipts of sent messages.
 * `skippedBy` splits `skipped` by reason (a reason nobody was skipped for is absent); optional
 * because broadcasts counted before it existed, and servers older than it, do not have it.
 */
export const broadcastCountsSchema = z.object({
  targeted: countSchema,
  sent: countSchema,
  delivered: countSchema,
  undelivered: countSchema,
  failed: countSchema,
  skipped: countSchema,
  skippedBy: z.partialRecord(skipReasonSchema, countSchema).optional(),
});
export type BroadcastCounts = z.infer<typeof broadcastCountsSchema>;

/** What a resident has told us about consent on each channel. */
export interface SubscriberProfile {
  phone: string;
  createdAt: string;
  /** When the resident opted out on each channel; absent means not opted out. */
  optedOut: Partial<Record<Channel, string>>;
  /** The topics held at the moment of a STOP, restored by START. */
  heldTopics: Partial<Record<Channel, string[]>>;
  language: Language | undefined;
  /** How the language came to be kept (see shared/consent/kept-language.ts); undefined with no language. */
  languageSource: LanguageSource | undefined;
  /** A postcode district (`CF10`): never a full address. */
  area: string | undefined;
  /** Only the band is kept, never the age. */
  ageBand: AgeBand | undefined;
  /** When the resident last wrote to us on WhatsApp: free-text replies are allowed for 24 h after. */
  whatsappWindowOpenedAt: string | undefined;
}

/** A JOIN to a confirmed-opt-in topic, waiting for the resident's YES. */
export interface PendingConfirmation {
  topicId: string;
  channel: Channel;
  requestedAt: string;
}

export interface Subscription {
  phone: string;
  channel: Channel;
  topicId: string;
  since: string;
}

/**
 * Where a consent change came from: the resident's own message, a member of staff, or a row of an
 * imported list (consent collected elsewhere: who collected it, when and how, and who imported it).
 */
export type ConsentEvidence =
  | { kind: 'inbound'; provider: string; providerMessageId: string; text: string }
  | { kind: 'admin'; actor: string; reason: string }
  | { kind: 'import'; batchId: string; actor: string; collectedBy: string; collectedAt: string; method: string };

/**
 * What a consent record says happened: asked to join a confirmed-opt-in topic, joined (opt_in),
 * confirmed with YES, left one topic, opted out of everything, came back (restore), or changed
 * their profile (area, language, age band).
 */
export const consentActionSchema = z.enum(['opt_in_requested', 'opt_in', 'confirm', 'leave', 'opt_out', 'restore', 'profile']);
export type ConsentAction = z.infer<typeof consentActionSchema>;

/** One append-only consent record. */
export interface ConsentEvent {
  at: string;
  action: ConsentAction;
  channel: Channel;
  topicId: string | undefined;
  evidence: ConsentEvidence;
  /** For a profile change: what was set (`{ area: 'CF10' }`). */
  changes?: Record<string, string>;
}

/**
 * Whose approval a broadcast needs: none; a department approver (the topic asks for the
 * two-person rule); or an operator (the audience is above the department's threshold).
 */
export const approvalLevelSchema = z.enum(['none', 'department', 'operator']);
export type ApprovalLevel = z.infer<typeof approvalLevelSchema>;

export interface Broadcast {
  id: string;
  topics: string[];
  /** The text in the default language, with `{{placeholders}}` filled from each resident's profile. */
  body: string;
  /** The text for residents who chose another language; the others get `body`. */
  variants?: MessageContent['variants'];
  /** For WhatsApp residents outside their 24-hour window, where free text is not allowed. */
  whatsappTemplate?: MessageContent['whatsappTemplate'];
  /** Segment filters: only residents of the topics who match all of them. */
  filters?: TargetingFilters;
  /** The saved template (its version, and its name then) the message was written from. */
  fromTemplate?: { id: string; version: number; name: string };
  priority: Priority;
  status: BroadcastStatus;
  department: string;
  createdBy: string;
  createdAt: string;
  /** The time the author asked for; undefined means as soon as released. */
  sendAt: string | undefined;
  /** Once released: when it starts (the time asked for, moved past quiet hours for normal priority). */
  startsAt: string | undefined;
  approval: ApprovalLevel;
  approvedBy: string | undefined;
  approvedAt?: string;
  rejectedBy?: string;
  rejectionReason?: string;
  cancelledBy?: string;
  cancelledAt?: string;
  /** Recipients counted when it was submitted: what the department's limits were checked against. */
  audience: number | undefined;
  /** The local day (YYYY-MM-DD) whose daily cap the audience was counted against. */
  capDay?: string;
  /** A test broadcast (made with a test key) only ever reaches the sandbox provider. */
  mode: KeyMode;
  /** Shard tasks of the fan-out not yet finished; the broadcast is done when this is 0 and all are processed. */
  fanOutPending: number;
  counts: BroadcastCounts;
  /**
   * When a send job last moved its outcome counters (receipts do not count): the sweeper takes a
   * broadcast still sending whose counters stood still for long as stalled. Absent before any.
   */
  lastProgressAt?: string;
  /** The estimated cost of what has been sent, in whole micro-units; absent until the first send. */
  cost?: { currency: string; estimatedMicros: number };
}

/** A recipient as the fan-out hands it to the sender. */
export interface Recipient {
  phone: string;
  channel: Channel;
}

export const roleSchema = z.enum(['operator', 'sender', 'approver', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

/**
 * A live key's broadcasts go to residents; a test key's only ever reach the sandbox provider,
 * whatever the deployment's provider settings (like GOV.UK Notify's test keys).
 */
export const keyModeSchema = z.enum(['live', 'test']);
export type KeyMode = z.infer<typeof keyModeSchema>;

/** Who is calling the admin API. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** The department whose topics the key reaches; operators reach all (`*`). */
  department: string;
  mode: KeyMode;
}

/** The identity of a recipient within one broadcast: a resident is sent a broadcast at most once. */
export function recipientKey(recipient: Recipient): string {
  return `${recipient.phone}|${recipient.channel}`;
}
