import { z } from 'zod';
import { keyModeSchema, roleSchema } from '../domain/model.js';

/** The admin API's key shapes (create, list, rotate the bootstrap key). */

const department = z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters');

export const createKeyRequest = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').meta({ description: 'Who or what uses the key, e.g. "Roads team laptop"' }),
    role: roleSchema,
    department: department.meta({ description: 'The department whose topics the key reaches; `*` for an operator key' }),
    mode: keyModeSchema.default('live').meta({ description: "A test key's broadcasts only ever reach the sandbox provider" }),
  })
  .strict()
  .superRefine((key, ctx) => {
    // An operator reaches every department, so naming one would promise a limit that is not there.
    if (key.role === 'operator' && key.department !== '*') {
      ctx.addIssue({ code: 'custom', path: ['department'], message: 'must be * for an operator key (operators reach every department)' });
    }
    if (key.role !== 'operator' && key.department === '*') {
      ctx.addIssue({ code: 'custom', path: ['department'], message: 'only an operator key reaches every department (*); name one' });
    }
  })
  .meta({ id: 'CreateKeyRequest' });

export const keyResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    department: z.string(),
    mode: keyModeSchema,
    createdAt: z.string(),
    revoked: z.boolean(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

export const createdKeyResponse = keyResponse
  .extend({ key: z.string().meta({ description: 'The secret key: shown in this answer only, stored hashed; keep it now' }) })
  .meta({ id: 'CreatedApiKey' });

export const keysResponse = z
  .object({ keys: z.array(keyResponse), cursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page' }) })
  .meta({ id: 'ApiKeys' });

export const rotatedBootstrapKeyResponse = z
  .object({
    key: z.string().meta({ description: 'The new bootstrap operator key: shown in this answer only; keep it now' }),
    rotatedAt: z.string(),
  })
  .meta({ id: 'RotatedBootstrapKey' });
