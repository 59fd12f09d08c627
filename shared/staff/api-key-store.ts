import type { Principal } from '../domain/model.js';
import type { Page } from '../ports/page.js';

/**
 * The admin API's keys: primitive reads and conditional writes; which key may do what is decided in
 * shared/staff/authenticate.ts and access.ts.
 */

export interface ApiKeyRecord extends Principal {
  createdAt: string;
  revoked: boolean;
  revokedAt?: string;
}

export interface ApiKeyStore {
  /** The key a caller presents, by the sha256 of its secret; read strongly, so a revocation counts at once. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Stores a new key under its id and its hash. Replaying it with the same arguments is harmless,
   * and a failure part-way never leaves a key that works but cannot be listed or revoked.
   */
  create(hash: string, record: ApiKeyRecord): Promise<void>;
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Keys in id order (ids sort by creation); never their secrets or hashes. */
  list(limit: number, cursor: string | undefined): Promise<Page<ApiKeyRecord>>;
  /** The key stops authenticating at once; false when there is no such key. */
  revoke(keyId: string, at: string): Promise<boolean>;
}
