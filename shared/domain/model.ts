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

export const broadcastCountsSchema = z.object({
  targeted: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type BroadcastCounts = z.infer<typeof broadcastCountsSchema>;
