import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AuthenticationError } from '../domain/errors.js';
import { keyModeSchema, roleSchema, type Principal } from '../domain/model.js';
import type { ApiKeyStore } from './api-key-store.js';
import { bearerKey, keyRefusals } from '../platform/api-key-shape.js';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The operator key a fresh deployment is administered with (AWS: a generated secret). */
export type BootstrapKeyHash = () => Promise<string | undefined>;

/**
 * Who is calling, from `Authorization: Bearer <key>`. Keys are stored hashed, never in clear;
 * a revoked key is the same as no key.
 */
export async function authenticate(
  apiKeys: ApiKeyStore,
  bootstrapKeyHash: BootstrapKeyHash,
  authorization: string | undefined,
): Promise<Principal> {
  // The shape first: a token no key could be is refused without a read.
  const bearer = bearerKey(authorization);
  if ('refusal' in bearer) throw new AuthenticationError(keyRefusals[bearer.refusal]);
  const hash = hashApiKey(bearer.key);
  const record = await apiKeys.findByHash(hash);
  if (record && !record.revoked) {
    return { keyId: record.keyId, name: record.name, role: record.role, department: record.department, mode: record.mode };
  }
  if (!record && hash === (await bootstrapKeyHash())) {
    return { keyId: 'bootstrap', name: 'bootstrap operator key', role: 'operator', department: '*', mode: 'live' };
  }
  throw new AuthenticationError(keyRefusals.invalid, record ? { keyId: record.keyId } : undefined);
}

/**
 * A principal as it travels outside this process: the Lambda authorizer's context, which API
 * Gateway hands to the admin functions as `requestContext.authorizer.lambda`. Parsed, never
 * trusted as it comes: only what the authorizer itself put there passes.
 */
export const principalSchema = z
  .object({
    keyId: z.string().min(1),
    name: z.string(),
    role: roleSchema,
    department: z.string().min(1),
    mode: keyModeSchema,
  })
  .strict() satisfies z.ZodType<Principal>;
