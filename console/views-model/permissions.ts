import type { Principal } from '../../shared/domain/model.js';
import { authorize, type AccessScope, type Permission } from '../../shared/staff/access.js';

/**
 * Whether to offer an action: asks the same `authorize` the use case will, so a page never offers
 * what the server refuses, nor hides what it allows. The use case still decides when it runs.
 */
export function may(principal: Principal, permission: Permission, scope: AccessScope = {}): boolean {
  try {
    authorize(principal, permission, scope);
    return true;
  } catch {
    return false;
  }
}
