import { z } from 'zod';
import { approvalLevelSchema, broadcastStatusSchema, keyModeSchema, prioritySchema, type Broadcast } from '../../../domain/model.js';
import { messageContentSchema } from '../../../domain/message-content.js';
import { targetingFiltersSchema } from '../../../domain/targeting.js';
import { tallyOf } from '../broadcast-counters.js';

/*
 * How the broadcast store's items look in the table: a broadcast item read back with its counters,
 * and the attribute a fan-out task keeps its checkpoint in. Every part of the store reads these.
 */

export function checkpointAttribute(topicId: string, shard: number): string {
  return `fanOut#${topicId}#${shard}`;
}

const fromTemplateSchema = z.object({ id: z.string(), version: z.number().int(), name: z.string() });

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A broadcast item with its COUNTS item (absent for broadcasts made before it: their counters are on the broadcast). */
export function toBroadcast(item: Record<string, unknown>, countsItem: Record<string, unknown> | undefined): Broadcast {
  const tally = tallyOf(countsItem ?? item);
  return {
    id: String(item.id),
    topics: (item.topics as string[]) ?? [],
    body: String(item.body),
    variants: messageContentSchema.shape.variants.parse(item.variants),
    whatsappTemplate: messageContentSchema.shape.whatsappTemplate.parse(item.whatsappTemplate),
    filters: targetingFiltersSchema.optional().parse(item.filters),
    ...(item.fromTemplate ? { fromTemplate: fromTemplateSchema.parse(item.fromTemplate) } : {}),
    priority: prioritySchema.parse(item.priority),
    status: broadcastStatusSchema.parse(item.status),
    department: String(item.department),
    createdBy: String(item.createdBy),
    createdAt: String(item.createdAt),
    sendAt: optionalString(item.sendAt),
    startsAt: optionalString(item.startsAt),
    // Broadcasts stored before approval levels existed were approved by their department.
    approval: approvalLevelSchema.parse(item.approval ?? (item.approvedBy ? 'department' : 'none')),
    approvedBy: optionalString(item.approvedBy),
    approvedAt: optionalString(item.approvedAt),
    rejectedBy: optionalString(item.rejectedBy),
    rejectionReason: optionalString(item.rejectionReason),
    cancelledBy: optionalString(item.cancelledBy),
    cancelledAt: optionalString(item.cancelledAt),
    audience: typeof item.audience === 'number' ? item.audience : undefined,
    capDay: optionalString(item.capDay),
    // Broadcasts stored before test mode existed were live.
    mode: keyModeSchema.parse(item.mode ?? 'live'),
    fanOutPending: Number(item.fanOutPending ?? 0),
    counts: { targeted: Number(item.targeted ?? 0), ...tally.counts },
    ...(tally.lastProgressAt ? { lastProgressAt: tally.lastProgressAt } : {}),
    ...(tally.cost ? { cost: tally.cost } : {}),
  };
}
