import type { z } from 'zod';
import { deadLettersResponse, redriveResultSchema } from '../../shared/api/dead-letter-schemas.js';
import { providersResponse } from '../../shared/api/provider-schemas.js';
import { usageResponse } from '../../shared/api/usage-schemas.js';
import { queryString, type KeyedClient } from './keyed-client.js';

export type DeadLetterQueue = z.infer<typeof deadLettersResponse>['queues'][number];
export type RedriveResult = z.infer<typeof redriveResultSchema>;
export type ProvidersStatus = z.infer<typeof providersResponse>;
export type UsageRowView = z.infer<typeof usageResponse>['rows'][number];

/** Running crier: dead letters, usage and cost, providers' state. */
export function operationCalls(client: KeyedClient) {
  return {
    /** Every queue's dead-letter count and a look at up to `peek` of each (operators only). */
    listDeadLetters(peek?: number) {
      return client.call(deadLettersResponse, 'GET', `/v1/dead-letters${queryString({ peek })}`);
    },

    /** One request moves for up to 20 s (the API's own budget), so it is given longer to answer. */
    redriveDeadLetters(queue: string, limit?: number) {
      return client.call(redriveResultSchema, 'POST', `/v1/dead-letters/${encodeURIComponent(queue)}/redrive`, limit === undefined ? {} : { limit }, {
        timeoutMs: 35_000,
      });
    },

    /** Messages sent and their estimated cost per department, by day or month (`GET /v1/usage`). */
    usage(query: { department?: string; from?: string; to?: string; by?: 'day' | 'month' }) {
      return client.call(usageResponse, 'GET', `/v1/usage${queryString(query)}`);
    },

    /** The same as CSV, as crier wrote it. */
    async usageCsv(query: { department?: string; from?: string; to?: string; by?: 'day' | 'month' }): Promise<string> {
      return (await client.send('GET', `/v1/usage${queryString({ ...query, format: 'csv' })}`)).text;
    },

    /** Each channel's providers, their state, failures and shifts (operators only). */
    providersStatus() {
      return client.call(providersResponse, 'GET', '/v1/providers');
    },
  };
}
export type OperationCalls = ReturnType<typeof operationCalls>;
