import type { Principal } from '../domain/model.js';
import type { BootstrapKeyVault } from '../ports/bootstrap-key-vault.js';
import { authorize } from './access.js';
import { recordAudit } from './audit.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { generateKeySecret } from './keys.js';

/** The new bootstrap key, shown this once. */
export interface RotatedBootstrapKey {
  key: string;
  rotatedAt: string;
}

/**
 * Replaces the bootstrap operator key with a new random one (live operator keys only) and
 * records who did it. The old key stops working: at once on the local stack, within a minute in
 * AWS (the authorizer reads the secret again every minute). To revoke it outright, rotate and
 * discard the new key: the operator keys created with `crier keys create` carry on.
 */
export async function rotateBootstrapKey(deps: CoreDependencies, vault: BootstrapKeyVault, principal: Principal): Promise<RotatedBootstrapKey> {
  // Operators only, and live keys only (access.ts refuses test keys anything that manages keys).
  authorize(principal, 'keys:manage');
  const key = generateKeySecret('live');
  const rotatedAt = deps.clock.now().toISOString();
  await vault.replace(key, rotatedAt);
  await recordAudit(deps, principal, 'key.rotateBootstrap', { type: 'key', id: 'bootstrap' }, { after: { rotatedAt } });
  return { key, rotatedAt };
}
