import 'aws-sdk-client-mock-vitest/extend';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedBootstrapKey, SecretsManagerBootstrapKeyVault } from '../../../shared/adapters/secrets/bootstrap-key-vaults.js';
import { ConflictError, ForbiddenError } from '../../../shared/domain/errors.js';
import { rotateBootstrapKey } from '../../../shared/staff/bootstrap-key.js';
import { aPrincipal } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:Crier/bootstrap-key-AbCdEf';
const operator = aPrincipal({ keyId: 'key-operator', name: 'IT operator', role: 'operator', department: '*', mode: 'live' });
const secrets = mockClient(SecretsManagerClient);

function setUp() {
  const stores = inMemoryStores();
  return { stores, deps: { stores, clock: new FixedClock('2026-03-01T09:00:00.000Z'), ids: new SequentialIds() } };
}

beforeEach(() => {
  secrets.reset();
  secrets.on(PutSecretValueCommand).resolves({});
});

describe('rotating the bootstrap operator key in AWS', () => {
  it('puts a new random live key as the secret\'s value, answers it once and audits the rotation without it', async () => {
    // Prepare
    const { deps, stores } = setUp();
    const vault = new SecretsManagerBootstrapKeyVault(() => new SecretsManagerClient({}), SECRET_ARN);

    // Act
    const rotated = await rotateBootstrapKey(deps, vault, operator);

    // Assess
    expect(rotated).toEqual({ key: expect.stringMatching(/^crier_live_[A-Za-z0-9_-]{43}$/), rotatedAt: '2026-03-01T09:00:00.000Z' });
    expect(secrets).toHaveReceivedCommandExactlyOnceWith(PutSecretValueCommand, { SecretId: SECRET_ARN, SecretString: rotated.key });
    expect(stores.audit.entries).toEqual([
      expect.objectContaining({ action: 'key.rotateBootstrap', target: { type: 'key', id: 'bootstrap' }, actor: expect.objectContaining({ keyId: 'key-operator' }) }),
    ]);
    expect(JSON.stringify(stores.audit.entries)).not.toContain(rotated.key);
  });

  it.each([
    { case: 'a sender key', principal: aPrincipal({ role: 'sender', department: 'roads', mode: 'live' }) },
    { case: 'a test operator key', principal: aPrincipal({ role: 'operator', department: '*', mode: 'test' }) },
  ])('refuses $case, and puts nothing', async ({ principal }) => {
    // Prepare
    const { deps, stores } = setUp();
    const vault = new SecretsManagerBootstrapKeyVault(() => new SecretsManagerClient({}), SECRET_ARN);

    // Act
    const attempt = rotateBootstrapKey(deps, vault, principal);

    // Assess
    await expect(attempt).rejects.toThrow(ForbiddenError);
    expect(secrets).not.toHaveReceivedAnyCommand();
    expect(stores.audit.entries).toEqual([]);
  });
});

describe('rotating a local operator key given in CRIER_BOOTSTRAP_KEY', () => {
  it('is refused, saying where the key is set, and nothing is audited', async () => {
    // Prepare
    const { deps, stores } = setUp();

    // Act
    const attempt = rotateBootstrapKey(deps, fixedBootstrapKey, operator);

    // Assess
    await expect(attempt).rejects.toThrow(new ConflictError('The operator key is set by CRIER_BOOTSTRAP_KEY: change it there and restart crier.'));
    expect(stores.audit.entries).toEqual([]);
  });
});
