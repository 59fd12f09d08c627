import { z } from 'zod';
import { approvalLevelSchema, broadcastCountsSchema, broadcastStatusSchema, keyModeSchema, prioritySchema, topicIdSchema } from '../domain/model.js';
import { ageBandSchema } from '../domain/profile.js';
import { languageSchema } from '../domain/language.js';
import { messageContentSchema } from '../domain/message-content.js';
import { targetingFiltersSchema } from '../domain/targeting.js';
import { costResponse } from './costs.js';
import { pageQuery } from './paging.js';
import { templateIdSchema } from '../templates/template.js';

export const createBroadcastRequest = z
  .object({
    topics: z.array(topicIdSchema).min(1, 'name at least one topic').max(20),
    ...messageContentSchema.shape,
    filters: targetingFiltersSchema.optional().meta({ description: 'only residents who match all of these (area, age band, language)' }),
    priority: prioritySchema.default('normal'),
    /** When to start; omitted means as soon as it is approved (normal priority waits out quiet hours). */
    sendAt: z.iso.datetime({ offset: true, message: 'must be a date and time such as 2025-03-01T18:00:00Z' }).optional(),
    /** Keep it as a draft, to preview and submit later, instead of submitting it now. */
    draft: z.boolean().default(false),
    fromTemplate: z
      .strictObject({ id: templateIdSchema, version: z.number().int().min(1) })
      .optional()
      .meta({ description: "The saved template (and its version) the message was written from: recorded on the broadcast; the key's department's, or 404" }),
  })
  .strict()
  .meta({ id: 'CreateBroadcastRequest' });

/** A preview takes what creating takes, and makes nothing. */
export const previewBroadcastRequest = createBroadcastRequest.omit({ draft: true }).meta({ id: 'PreviewBroadcastRequest' });

export const broadcastResponse = z
  .object({
    id: z.string(),
    status: broadcastStatusSchema,
    topics: z.array(z.string()),
    body: z.string(),
    // As stored (the request's schemas normalise on the way in, which an output schema cannot say).
    variants: z.partialRecord(languageSchema, z.string()).optional(),
    whatsappTemplate: z.object({ name: z.string(), language: z.string().optional(), parameters: z.array(z.string()) }).optional(),
    filters: z
      .object({ areas: z.array(z.string()).optional(), ageBands: z.array(ageBandSchema).optional(), languages: z.array(languageSchema).optional() })
      .optional(),
    fromTemplate: z.object({ id: z.string(), version: z.number().int(), name: z.string() }).optional().meta({ description: 'the saved template it was written from' }),
    priority: prioritySchema,
    mode: keyModeSchema.meta({ description: 'test: made with a test key, sent to the sandbox provider only' }),
    createdBy: z.string(),
    createdAt: z.string(),
    sendAt: z.string().optional().meta({ description: 'the time the author asked for' }),
    startsAt: z.string().optional().meta({ description: 'once released: when it starts (after quiet hours for normal priority)' }),
    approval: approvalLevelSchema.meta({ description: 'whose approval it needs: none, a department approver, or an operator' }),
    approvedBy: z.string().optional(),
    approvedAt: z.string().optional(),
    rejectedBy: z.string().optional(),
    rejectionReason: z.string().optional(),
    cancelledBy: z.string().optional(),
    cancelledAt: z.string().optional(),
    audience: z.number().int().optional().meta({ description: 'recipients counted when it was submitted (limits are checked against it)' }),
    counts: broadcastCountsSchema.extend({
      skippedBy: broadcastCountsSchema.shape.skippedBy.meta({
        description: 'skipped, by reason (opted_out, duplicate, cancelled, invalid_recipient, missing_data, whatsapp_window_closed); a reason nobody was skipped for is left out',
      }),
    }),
    lastProgressAt: z.string().optional().meta({ description: 'when sending last moved the counts (receipts aside); absent before the first batch' }),
    cost: costResponse.meta({ description: 'the estimated cost of the messages sent so far (a provider-reported price is on each message, not summed here)' }),
  })
  .meta({ id: 'Broadcast' });


export const broadcastListQuery = pageQuery
  .extend({ status: broadcastStatusSchema.optional() })
  .strict()
  .meta({ id: 'BroadcastListQuery' });

export const broadcastListResponse = z
  .object({ broadcasts: z.array(broadcastResponse), cursor: z.string().optional().meta({ description: 'pass as ?cursor= for the next page' }) })
  .meta({ id: 'BroadcastList' });

export const rejectBroadcastRequest = z
  .object({ reason: z.string().trim().min(1, 'say why, so the author can put it right').max(500, 'must be at most 500 characters') })
  .strict()
  .meta({ id: 'RejectBroadcastRequest' });

/** `null` puts a limit back to the deployment's default; 0 means no limit. */
export const departmentLimitsRequest = z
  .object({
    dailyMessageCap: z.number().int().nonnegative().nullable().optional(),
    operatorApprovalAbove: z.number().int().nonnegative().nullable().optional(),
  })
  .strict()
  .refine((change) => change.dailyMessageCap !== undefined || change.operatorApprovalAbove !== undefined, {
    message: 'set dailyMessageCap, operatorApprovalAbove or both',
  })
  .meta({ id: 'DepartmentLimitsRequest' });

export const departmentLimitsResponse = z
  .object({
    department: z.string(),
    dailyMessageCap: z.number().int().meta({ description: 'messages a day; 0 means no cap' }),
    operatorApprovalAbove: z.number().int().meta({ description: 'audience above which an operator must approve; 0 means never' }),
    source: z.object({ dailyMessageCap: z.enum(['department', 'deployment']), operatorApprovalAbove: z.enum(['department', 'deployment']) }),
    today: z.string().optional(),
    usedToday: z.number().int().optional(),
    costToday: costResponse
      .extend({ replies: costResponse.meta({ description: "the part spent on replies to residents' texts (confirmations, answers, acknowledgements)" }) })
      .optional()
      .meta({ description: "the estimated cost of the department's messages sent today: its broadcasts' and the replies about its topics" }),
  })
  .meta({ id: 'DepartmentLimits' });

const smsPreviewResponse = z.object({
  encoding: z.enum(['GSM-7', 'UCS-2']),
  characters: z.number().int(),
  segments: z.number().int(),
  unicodeCharacters: z.array(z.string()).meta({ description: 'the characters that forced UCS-2' }),
  segmentsWithoutUnicode: z.number().int().optional(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const broadcastPreviewResponse = z
  .object({
    audience: z.object({
      total: z.number().int(),
      byChannel: z.object({ sms: z.number().int(), whatsapp: z.number().int() }),
      byLanguage: z.partialRecord(languageSchema, z.number().int()),
      missingData: z.number().int(),
      whatsappOutsideWindow: z.number().int(),
    }),
    exact: z.boolean().meta({ description: 'false: a very large audience, counted from a sample spread over every topic shard and scaled' }),
    sampledResidents: z.number().int().optional(),
    messages: z.array(
      z.object({
        language: languageSchema,
        text: z.string().meta({ description: 'as an SMS, with its STOP footer' }),
        whatsappText: z.string().meta({ description: 'as a WhatsApp message, with its STOP footer' }),
        sms: smsPreviewResponse,
      }),
    ),
    smsSegments: z.number().int(),
    cost: z.object({ currency: z.string(), sms: z.number(), whatsapp: z.number(), total: z.number() }),
    startsAt: z.string(),
    limits: z.array(
      z.object({
        department: z.string(),
        dailyMessageCap: z.number().int(),
        usedOnStartDay: z.number().int(),
        wouldExceed: z.boolean(),
        needsOperatorApproval: z.boolean(),
      }),
    ),
    approval: approvalLevelSchema.meta({ description: 'whose approval it would wait for once submitted: none, a department approver, or an operator' }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .meta({ id: 'BroadcastPreview' });

export const sandboxOutboxQuery = pageQuery
  .extend({ day: z.iso.date({ message: 'must be a day such as 2025-03-01' }).optional() })
  .strict()
  .meta({ id: 'SandboxOutboxQuery' });

export const sandboxOutboxResponse = z
  .object({
    messages: z.array(
      z.object({
        id: z.string(),
        messageId: z.string(),
        to: z.string(),
        channel: z.enum(['sms', 'whatsapp']),
        body: z.string(),
        template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).optional(),
        createdAt: z.string(),
        broadcastId: z.string().optional(),
        department: z.string().optional(),
        mode: z.enum(['live', 'test']).optional(),
      }),
    ),
    cursor: z.string().optional(),
  })
  .meta({ id: 'SandboxOutbox' });

/** `?limit=&cursor=` of a delivery report: pages of up to 1,000 rows (the use case's own ceiling). */
export const deliveryReportQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(1000),
    cursor: z.string().min(1).max(2000).optional().meta({ description: 'from the previous page\'s `Link: <…>; rel="next"` header' }),
  })
  .strict()
  .meta({ id: 'DeliveryReportQuery' });
