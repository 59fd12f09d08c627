import type { z } from 'zod';
import { auditResponse } from '../../shared/api/audit-schemas.js';
import { createdKeyResponse, type createKeyRequest, keyResponse, keysResponse, rotatedBootstrapKeyResponse } from '../../shared/api/key-schemas.js';
import { staffListResponse, staffResponse, type addStaffRequest, type changeStaffRequest } from '../../shared/api/staff-schemas.js';
import { noContent, queryString, type KeyedClient } from './keyed-client.js';

export type ApiKey = z.infer<typeof keyResponse>;
export type AuditEntry = z.infer<typeof auditResponse>['entries'][number];
export type StaffMember = z.infer<typeof staffResponse>;

/** Who may use crier: API keys, staff, and the audit log of what they did. */
export function accessCalls(client: KeyedClient) {
  return {
    createKey(input: z.input<typeof createKeyRequest>) {
      return client.call(createdKeyResponse, 'POST', '/v1/keys', input);
    },

    listKeys(page: { limit?: number; cursor?: string } = {}) {
      return client.call(keysResponse, 'GET', `/v1/keys${queryString(page)}`);
    },

    revokeKey(id: string) {
      return client.call(keyResponse, 'POST', `/v1/keys/${encodeURIComponent(id)}/revoke`);
    },

    rotateBootstrapKey() {
      return client.call(rotatedBootstrapKeyResponse, 'POST', '/v1/keys/bootstrap/rotate');
    },

    addStaff(input: z.input<typeof addStaffRequest>) {
      return client.call(staffResponse, 'POST', '/v1/staff', input);
    },

    listStaff(page: { limit?: number; cursor?: string } = {}) {
      return client.call(staffListResponse, 'GET', `/v1/staff${queryString(page)}`);
    },

    changeStaff(id: string, change: z.input<typeof changeStaffRequest>) {
      return client.call(staffResponse, 'PATCH', `/v1/staff/${encodeURIComponent(id)}`, change);
    },

    removeStaff(id: string) {
      return client.call(noContent, 'DELETE', `/v1/staff/${encodeURIComponent(id)}`);
    },

    listAudit(query: { limit?: number; cursor?: string; from?: string; to?: string; actor?: string; action?: string; department?: string } = {}) {
      return client.call(auditResponse, 'GET', `/v1/audit${queryString(query)}`);
    },
  };
}
export type AccessCalls = ReturnType<typeof accessCalls>;
