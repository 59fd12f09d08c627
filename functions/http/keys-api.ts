import { z } from 'zod';
import { auditQuery } from '../../shared/api/audit-schemas.js';
import { createKeyRequest } from '../../shared/api/key-schemas.js';
import { pageQuery } from '../../shared/api/paging.js';
import { keysEnvSchema } from '../../shared/config/env.js';
import { httpFunction } from '../../shared/runtime/http/http-function.js';
import { parseJsonBody, parseParameter, parseQuery } from '../../shared/runtime/http/request.js';
import { json } from '../../shared/runtime/http/responses.js';
import { listAudit } from '../../shared/staff/audit.js';
import { rotateBootstrapKey } from '../../shared/staff/bootstrap-key.js';
import { createKey, listKeys, revokeKey } from '../../shared/staff/keys.js';
import { addStaffRequest, changeStaffRequest, staffIdSchema } from '../../shared/api/staff-schemas.js';
import { addStaff, changeStaff, listStaff, removeStaff } from '../../shared/staff/manage-staff.js';
import type { BootstrapKeyVault } from '../../shared/ports/bootstrap-key-vault.js';
import { authenticated, type AdminDependencies } from './admin-route.js';
import { bootstrapKeyUnknownToRoutes, bootstrapKeyVault, coreDependencies } from '../wiring.js';

interface KeysDependencies extends AdminDependencies {
  bootstrapKeyVault: BootstrapKeyVault;
}

const keyIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be a key id');

/**
 * Operators' access administration: API keys (shown once, stored hashed, revocable), the bootstrap
 * key's rotation, staff records (who may do what once signed in) and the audit log.
 */
export const handler = httpFunction({
  envSchema: keysEnvSchema,
  dependencies: (env): KeysDependencies => {
    const core = coreDependencies(env);
    return { core, bootstrapKeyHash: bootstrapKeyUnknownToRoutes, bootstrapKeyVault: bootstrapKeyVault(env, core) };
  },
  routes: {
    'POST /v1/keys': authenticated(async ({ deps, request }, principal) =>
      json(201, await createKey(deps.core, principal, parseJsonBody(request, createKeyRequest))),
    ),
    'GET /v1/keys': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listKeys(deps.core, principal, parseQuery(request, pageQuery));
      return json(200, { keys: items, ...(cursor ? { cursor } : {}) });
    }),
    'POST /v1/keys/{id}/revoke': authenticated(async ({ deps, request }, principal) =>
      json(200, await revokeKey(deps.core, principal, parseParameter(request.pathParameters.id, 'id', keyIdSchema))),
    ),
    'POST /v1/keys/bootstrap/rotate': authenticated(async ({ deps }, principal) =>
      json(200, await rotateBootstrapKey(deps.core, deps.bootstrapKeyVault, principal)),
    ),
    'POST /v1/staff': authenticated(async ({ deps, request }, principal) =>
      json(201, await addStaff(deps.core, principal, parseJsonBody(request, addStaffRequest))),
    ),
    'GET /v1/staff': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listStaff(deps.core, principal, parseQuery(request, pageQuery));
      return json(200, { staff: items, ...(cursor ? { cursor } : {}) });
    }),
    'PATCH /v1/staff/{id}': authenticated(async ({ deps, request }, principal) =>
      json(200, await changeStaff(deps.core, principal, parseParameter(request.pathParameters.id, 'id', staffIdSchema), parseJsonBody(request, changeStaffRequest))),
    ),
    'DELETE /v1/staff/{id}': authenticated(async ({ deps, request }, principal) => {
      await removeStaff(deps.core, principal, parseParameter(request.pathParameters.id, 'id', staffIdSchema));
      return { statusCode: 204 };
    }),
    'GET /v1/audit': authenticated(async ({ deps, request }, principal) => {
      const { items, cursor } = await listAudit(deps.core, principal, parseQuery(request, auditQuery));
      return json(200, { entries: items, ...(cursor ? { cursor } : {}) });
    }),
  },
});
