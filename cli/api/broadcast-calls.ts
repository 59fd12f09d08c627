import type { z } from 'zod';
import {
  broadcastListResponse,
  broadcastPreviewResponse,
  departmentLimitsResponse,
  type departmentLimitsRequest,
  type previewBroadcastRequest,
} from '../../shared/api/broadcast-schemas.js';
import { broadcastResponse, type createBroadcastRequest } from '../../shared/api/broadcast-schemas.js';
import { UnexpectedResponseError } from '../errors.js';
import { queryString, type KeyedClient } from './keyed-client.js';

export type Broadcast = z.infer<typeof broadcastResponse>;
export type BroadcastPreview = z.infer<typeof broadcastPreviewResponse>;
export type DepartmentLimits = z.infer<typeof departmentLimitsResponse>;

/** Broadcasts through their lifecycle, their delivery report, and a department's limits. */
export function broadcastCalls(client: KeyedClient) {
  return {
    createBroadcast(input: z.input<typeof createBroadcastRequest>) {
      return client.call(broadcastResponse, 'POST', '/v1/broadcasts', input);
    },

    getBroadcast(id: string) {
      return client.call(broadcastResponse, 'GET', `/v1/broadcasts/${encodeURIComponent(id)}`);
    },

    listBroadcasts(query: { status?: string; limit?: number; cursor?: string } = {}) {
      return client.call(broadcastListResponse, 'GET', `/v1/broadcasts${queryString(query)}`);
    },

    previewBroadcastRequest(input: z.input<typeof previewBroadcastRequest>) {
      return client.call(broadcastPreviewResponse, 'POST', '/v1/broadcasts/preview', input);
    },

    previewBroadcast(id: string) {
      return client.call(broadcastPreviewResponse, 'GET', `/v1/broadcasts/${encodeURIComponent(id)}/preview`);
    },

    submitBroadcast(id: string) {
      return client.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/submit`);
    },

    rejectBroadcast(id: string, reason: string) {
      return client.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/reject`, { reason });
    },

    getDepartmentLimits(department: string) {
      return client.call(departmentLimitsResponse, 'GET', `/v1/departments/${encodeURIComponent(department)}/limits`);
    },

    setDepartmentLimits(department: string, change: z.input<typeof departmentLimitsRequest>) {
      return client.call(departmentLimitsResponse, 'PUT', `/v1/departments/${encodeURIComponent(department)}/limits`, change);
    },

    approveBroadcast(id: string) {
      return client.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/approve`);
    },

    cancelBroadcast(id: string) {
      return client.call(broadcastResponse, 'POST', `/v1/broadcasts/${encodeURIComponent(id)}/cancel`);
    },

    /**
     * One page of a broadcast's delivery report, as the CSV crier sent; `next`, the path of the
     * next page (from the Link header), when more follow.
     */
    async deliveryReportPage(id: string, from: { next?: string; pageSize?: number } = {}): Promise<{ csv: string; next: string | undefined }> {
      const first = `/v1/broadcasts/${encodeURIComponent(id)}/report${from.pageSize === undefined ? '' : `?limit=${from.pageSize}`}`;
      const response = await client.send('GET', from.next ?? first);
      const next = /^<([^>]+)>;\s*rel="next"$/.exec(response.headers?.get('link') ?? '')?.[1];
      // Only a path on the same API: the key is never sent to an address a response names.
      if (next !== undefined && !next.startsWith('/v1/')) throw new UnexpectedResponseError(`crier at ${client.baseUrl} named a next page outside its API: ${next}`, []);
      return { csv: response.text, next };
    },
  };
}
export type BroadcastCalls = ReturnType<typeof broadcastCalls>;
