import { z } from 'zod';

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

export const topicSchema = z.object({
  id: topicIdSchema,
  name: z.string().trim().min(1).max(80),
  keywords: z.array(keywordSchema).max(20),
  department: z.string().min(1),
  requiresApproval: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Topic = z.infer<typeof topicSchema>;

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

export const broadcastStatusSchema = z.enum([
  'pending_approval',
  'sending',
  'sent',
  'cancelled',
]);
export type BroadcastStatus = z.infer<typeof broadcastStatusSchema>;

/** Why a targeted resident was not sent a broadcast. Every one is counted, none is silent. */
export const skipReasonSchema = z.enum(['opted_out', 'duplicate', 'cancelled', 'invalid_recipient']);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/**
 * A broadcast's counters. `sent + failed + skipped` reaches `targeted` when every recipient has
 * been processed; `delivered` and `undelivered` come later, from receipts of sent messages.
 */
export const broadcastCountsSchema = z.object({
  targeted: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  undelivered: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
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
}

export interface Subscription {
  phone: string;
  channel: Channel;
  topicId: string;
  since: string;
}

/** Where a consent change came from: the resident's own message, or a member of staff. */
export type ConsentEvidence =
  | { kind: 'inbound'; provider: string; providerMessageId: string; text: string }
  | { kind: 'admin'; actor: string; reason: string };

export const consentActionSchema = z.enum(['opt_in', 'opt_out', 'restore', 'leave']);
export type ConsentAction = z.infer<typeof consentActionSchema>;

/** One append-only consent record. */
export interface ConsentEvent {
  at: string;
  action: ConsentAction;
  channel: Channel;
  topicId: string | undefined;
  evidence: ConsentEvidence;
}

export interface Broadcast {
  id: string;
  topics: string[];
  body: string;
  priority: Priority;
  status: BroadcastStatus;
  department: string;
  createdBy: string;
  createdAt: string;
  approvedBy: string | undefined;
  /** Shard tasks of the fan-out not yet finished; the broadcast is done when this is 0 and all are processed. */
  fanOutPending: number;
  counts: BroadcastCounts;
}

/** A recipient as the fan-out hands it to the sender. */
export interface Recipient {
  phone: string;
  channel: Channel;
}

export const roleSchema = z.enum(['operator', 'sender', 'approver', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling the admin API. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** The department whose topics the key reaches; operators reach all. */
  department: string;
}

/** The identity of a recipient within one broadcast: a resident is sent a broadcast at most once. */
export function recipientKey(recipient: Recipient): string {
  return `${recipient.phone}|${recipient.channel}`;
}
