import { z } from 'zod';

/**
 * crier's work queues, each with a dead-letter queue. The function catalog describes them
 * (`queueDefinitions`); the ids live here so the admin API and its use cases, which must not
 * depend on the catalog, validate a queue named in a request against the same list.
 */
export const queueIds = ['fanOut', 'sendUrgent', 'sendBulk', 'awsSmsNotifications'] as const;

export const queueIdSchema = z.enum(queueIds, { error: `must be one of the queues: ${queueIds.join(', ')}` });
export type QueueId = z.infer<typeof queueIdSchema>;
