import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeploymentBindings, DeploymentSettings } from '../functions/catalog-types.js';
import { dynamoStores } from '../shared/adapters/dynamo/stores.js';
import { systemClock, ulidGenerator } from '../shared/adapters/ids.js';
import { LOCAL_OPERATOR_KEY_ID } from '../shared/adapters/secrets/bootstrap-key-vaults.js';
import { hashApiKey } from '../shared/staff/authenticate.js';
import { localIdentityProvider, type LocalIdentityProvider } from './identity-provider.js';
import type { LocalStackOptions } from './local-stack-options.js';
import { generatedStaffPassword, seedLocalStaff } from './local-staff.js';
import { LOCAL_CONSOLE_CLIENT_ID, LOCAL_ISSUER_PATH, TABLE_NAME } from './stack-settings.js';

export interface LocalSignIn {
  operatorKey: string;
  staffPassword: string;
  /** Whether this start created the three local staff accounts (there were no staff). */
  staffSeeded: boolean;
  identityProvider: LocalIdentityProvider;
}

/**
 * How anyone gets in locally: the operator key stored in the table, the local staff seeded at the
 * first start, and the embedded OpenID provider the console signs staff in at.
 */
export async function prepareSignIn(
  documents: DynamoDBDocumentClient,
  bindings: DeploymentBindings,
  consoleClientSecret: string,
  options: LocalStackOptions,
  settings: DeploymentSettings,
): Promise<LocalSignIn> {
  const operatorKey = options.bootstrapKey ?? generatedOperatorKey();
  const stores = dynamoStores(documents, TABLE_NAME, settings.topicShards);
  // Stored hashed like every other key, under the id `operator`, so it is listed and revocable.
  await stores.apiKeys.create(hashApiKey(operatorKey), {
    keyId: LOCAL_OPERATOR_KEY_ID,
    name: 'local operator key',
    role: 'operator',
    department: '*',
    mode: 'live',
    createdAt: new Date().toISOString(),
    revoked: false,
  });
  const staffSeeded = await seedLocalStaff({ stores, clock: systemClock, ids: ulidGenerator() });
  const staffPassword = options.staffPassword ?? generatedStaffPassword();
  const identityProvider = localIdentityProvider({
    mountPath: LOCAL_ISSUER_PATH,
    issuer: bindings.signIn.issuer,
    client: { clientId: LOCAL_CONSOLE_CLIENT_ID, clientSecret: consoleClientSecret, redirectUri: `${bindings.publicBaseUrl}/console/auth/callback` },
    staff: stores.staff,
    password: staffPassword,
    serviceName: settings.serviceName,
  });
  return { operatorKey, staffPassword, staffSeeded, identityProvider };
}

function generatedOperatorKey(): string {
  return `crier_op_${randomBytes(24).toString('base64url')}`;
}
