import { renameSync, writeFileSync } from 'node:fs';
import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConflictError } from '../../domain/errors.js';
import type { BootstrapKeyVault } from '../../ports/bootstrap-key-vault.js';
import type { ApiKeyStore } from '../../staff/api-key-store.js';
import { hashApiKey } from '../../staff/authenticate.js';

/**
 * AWS: a new value of the bootstrap key's secret (a new version, AWSCURRENT). The keys function may
 * put a value but not read one; the authorizer reads it again within a minute.
 */
export class SecretsManagerBootstrapKeyVault implements BootstrapKeyVault {
  constructor(
    private readonly secrets: () => SecretsManagerClient,
    private readonly secretArn: string,
  ) {}

  async replace(key: string): Promise<void> {
    await this.secrets().send(new PutSecretValueCommand({ SecretId: this.secretArn, SecretString: key }));
  }
}

/** The id the local stack stores its operator key under (local/stack.ts). */
export const LOCAL_OPERATOR_KEY_ID = 'operator';

/**
 * The local stack: the operator key is a stored key (id `operator`) whose secret is kept in a file
 * beside the data, so a restart prints it. The old credential is revoked first (a stop half-way
 * leaves no key working that should not), then the new one is stored and the file replaced whole.
 */
export class LocalFileBootstrapKeyVault implements BootstrapKeyVault {
  constructor(
    private readonly apiKeys: ApiKeyStore,
    private readonly file: string,
  ) {}

  async replace(key: string, at: string): Promise<void> {
    await this.apiKeys.revoke(LOCAL_OPERATOR_KEY_ID, at);
    await this.apiKeys.create(hashApiKey(key), {
      keyId: LOCAL_OPERATOR_KEY_ID,
      name: 'local operator key',
      role: 'operator',
      department: '*',
      mode: 'live',
      createdAt: at,
      revoked: false,
    });
    writeFileSync(`${this.file}.new`, `${key}\n`, { mode: 0o600 });
    renameSync(`${this.file}.new`, this.file);
  }
}

/** A local stack whose operator key comes from CRIER_BOOTSTRAP_KEY: that variable decides it, not crier. */
export const fixedBootstrapKey: BootstrapKeyVault = {
  async replace() {
    throw new ConflictError('The operator key is set by CRIER_BOOTSTRAP_KEY: change it there and restart crier.');
  },
};
