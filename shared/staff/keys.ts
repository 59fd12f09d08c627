import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../domain/errors.js';
import type { KeyMode, Principal, Role } from '../domain/model.js';
import type { ApiKeyRecord } from './api-key-store.js';
import type { Page } from '../ports/page.js';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import { hashApiKey } from './authenticate.js';
import type { CoreDependencies } from '../ports/dependencies.js';

/**
 * A new key, as the admin API's request (createKeyRequest) and the console's form give it once
 * validated: declared here, not taken from either's wire format.
 */
export interface CreateKeyInput {
  /** Who or what uses the key. */
  name: string;
  role: Role;
  /** The department whose topics the key reaches; `*` for an operator key. */
  department: string;
  mode: KeyMode;
}

/** What the API shows of a key: never its secret nor its hash. */
export type KeyView = Omit<ApiKeyRecord, 'keyId'> & { id: string };

/** The one time a key's secret is seen: in the answer to its creation. */
export type CreatedKey = KeyView & { key: string };

/** `crier_<mode>_<32 random bytes, base64url>`: the mode is readable at a glance, the rest is unguessable. */
export function generateKeySecret(mode: KeyMode): string {
  return `crier_${mode}_${randomBytes(32).toString('base64url')}`;
}

export async function createKey(deps: CoreDependencies, principal: Principal, input: CreateKeyInput): Promise<CreatedKey> {
  authorize(principal, 'keys:manage');
  const key = generateKeySecret(input.mode);
  const record: ApiKeyRecord = {
    keyId: deps.ids.next(),
    name: input.name,
    role: input.role,
    department: input.department,
    mode: input.mode,
    createdAt: deps.clock.now().toISOString(),
    revoked: false,
  };
  await deps.stores.apiKeys.create(hashApiKey(key), record);
  const view = viewOf(record);
  await recordAudit(deps, principal, 'key.create', { type: 'key', id: record.keyId }, { after: view });
  return { ...view, key };
}

export async function listKeys(
  deps: CoreDependencies,
  principal: Principal,
  query: { limit: number; cursor?: string },
): Promise<Page<KeyView>> {
  authorize(principal, 'keys:manage');
  const page = await deps.stores.apiKeys.list(query.limit, query.cursor);
  return { items: page.items.map(viewOf), cursor: page.cursor };
}

/** The key stops working at once. Revoking a revoked key changes nothing and records nothing. */
export async function revokeKey(deps: CoreDependencies, principal: Principal, keyId: string): Promise<KeyView> {
  authorize(principal, 'keys:manage');
  const existing = await deps.stores.apiKeys.get(keyId);
  if (!existing) throw new NotFoundError(`no key ${keyId}`);
  if (existing.revoked) return viewOf(existing);
  const at = deps.clock.now().toISOString();
  if (!(await deps.stores.apiKeys.revoke(keyId, at))) throw new NotFoundError(`no key ${keyId}`);
  const revoked = { ...existing, revoked: true, revokedAt: at };
  await recordAudit(deps, principal, 'key.revoke', { type: 'key', id: keyId }, {
    before: { revoked: false },
    after: { revoked: true, revokedAt: at },
  });
  return viewOf(revoked);
}

function viewOf({ keyId, ...rest }: ApiKeyRecord): KeyView {
  return { id: keyId, ...rest };
}
