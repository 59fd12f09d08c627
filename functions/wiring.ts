import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { BroadcastsEnv, KeysEnv, PhoneHashEnv, ResidentTextsEnv, TableEnv } from '../shared/config/env.js';
import type { FanOutTask } from '../shared/domain/jobs.js';
import { sendWindow } from '../shared/sending/send-window.js';
import { listSandboxMessages } from '../shared/adapters/providers/sandbox/recording-adapter.js';
import { smsStopNumberSource } from '../shared/adapters/providers/sender-identities.js';
import { providerSettingsSource } from '../shared/adapters/providers/settings-source.js';
import type { SandboxOutbox } from '../shared/sending/sandbox-outbox.js';
import { keyedPhoneHash, type PhoneHasher } from '../shared/domain/erasure.js';
import type { ReplySendJob } from '../shared/domain/jobs.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { dynamoStores } from '../shared/adapters/dynamo/stores.js';
import { systemClock, ulidGenerator } from '../shared/adapters/ids.js';
import { fixedBootstrapKey, LocalFileBootstrapKeyVault, SecretsManagerBootstrapKeyVault } from '../shared/adapters/secrets/bootstrap-key-vaults.js';
import { SqsJobQueue } from '../shared/adapters/sqs/sqs-job-queue.js';
import { crierMetrics } from '../shared/platform/powertools-metrics.js';
import type { BootstrapKeyVault } from '../shared/ports/bootstrap-key-vault.js';
import { refreshedEvery } from '../shared/runtime/memo.js';
import { hashApiKey, type BootstrapKeyHash } from '../shared/staff/authenticate.js';
import { retentionPeriodsOf } from '../shared/retention/periods.js';
import type { BroadcastDependencies, CoreDependencies, InboundDependencies } from '../shared/ports/dependencies.js';

/**
 * The composition root of the functions: it builds adapters from a validated environment. Handlers
 * call these once per container (see `httpFunction`/`queueFunction`), never at module load.
 */
export function coreDependencies(env: TableEnv & Partial<PhoneHashEnv>): CoreDependencies {
  return {
    stores: dynamoStores(awsClients().documents, env.TABLE_NAME, env.TOPIC_SHARDS, { retention: retentionPeriodsOf(env), phoneHash: phoneHasher(env) }),
    clock: systemClock,
    ids: ulidGenerator(),
    metrics: crierMetrics(),
  };
}

/** What the functions that take residents' texts (Twilio, WhatsApp Cloud, AWS SMS) need. */
export function inboundDependencies(env: ResidentTextsEnv): InboundDependencies {
  return {
    ...coreDependencies(env),
    replies: jobQueue<ReplySendJob>(env.SEND_URGENT_QUEUE_URL),
    settings: { serviceName: env.SERVICE_NAME, contact: env.SERVICE_CONTACT, floodLimit: env.FLOOD_LIMIT, timeZone: env.TIME_ZONE },
  };
}

/**
 * What making, previewing and releasing broadcasts needs: the broadcasts API's and the console's.
 * The console passes the phone hash key too (its stores then erase residents); the API has none.
 */
export function broadcastDependencies(env: BroadcastsEnv & Partial<PhoneHashEnv>): BroadcastDependencies & { sandboxOutbox: SandboxOutbox } {
  return {
    ...coreDependencies(env),
    fanOutTasks: jobQueue<FanOutTask>(env.FAN_OUT_QUEUE_URL),
    topicShards: env.TOPIC_SHARDS,
    window: sendWindow(env.QUIET_HOURS, env.TIME_ZONE),
    limits: { dailyMessageCap: env.DAILY_MESSAGE_CAP, operatorApprovalAbove: env.OPERATOR_APPROVAL_ABOVE },
    prices: { table: env.PRICE_TABLE, homeCountry: env.DEFAULT_COUNTRY },
    sandboxOutbox: (query) => listSandboxMessages(awsClients().documents, env.TABLE_NAME, query),
    smsStopNumber: smsStopNumberSource(providerSettingsSource(env, () => awsClients().secrets), env),
  };
}

export function jobQueue<Job>(queueUrl: string): SqsJobQueue<Job> {
  return new SqsJobQueue<Job>(awsClients().sqs, queueUrl);
}

/**
 * Hashes numbers with the deployment's key: in AWS read from its secret once per container (again
 * after a failed read), locally given as it is. Undefined for a function given neither: the
 * stores then refuse to erase rather than hash a number without the key.
 */
export function phoneHasher(env: Partial<PhoneHashEnv>): PhoneHasher | undefined {
  const { PHONE_HASH_KEY_SECRET_ARN: secretArn, PHONE_HASH_KEY: localKey } = env;
  if (localKey) return async (phone) => keyedPhoneHash(localKey, phone);
  if (!secretArn) return undefined;
  let key: Promise<string> | undefined;
  return async (phone) => {
    key ??= awsClients()
      .secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => {
        if (!SecretString) throw new Error(`the phone hash key secret ${secretArn} is empty`);
        return SecretString;
      })
      .catch((error: unknown) => {
        key = undefined;
        throw error;
      });
    return keyedPhoneHash(await key, phone);
  };
}

/**
 * How long a warm authorizer trusts the bootstrap key it read: a rotated or revoked key stops
 * working within this, not when the container ends (which may be hours).
 */
export const BOOTSTRAP_KEY_TTL_MS = 60_000;

/** The bootstrap operator key's hash, read from its secret and read again every minute (AWS only). */
export function bootstrapKeyHash(env: { BOOTSTRAP_KEY_SECRET_ARN?: string }): BootstrapKeyHash {
  const secretArn = env.BOOTSTRAP_KEY_SECRET_ARN;
  if (!secretArn) return async () => undefined;
  return refreshedEvery(BOOTSTRAP_KEY_TTL_MS, async () => {
    const { SecretString } = await awsClients().secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return SecretString ? hashApiKey(SecretString.trim()) : undefined;
  });
}

/**
 * What the admin routes know of the bootstrap key: nothing. In AWS they run behind the authorizer,
 * the one function that may read its secret, and take the caller from its context; called without
 * it (a test, a route wired by mistake) they check stored keys only, so the bootstrap key works
 * through the authorizer alone.
 */
export const bootstrapKeyUnknownToRoutes: BootstrapKeyHash = async () => undefined;

/** Where a rotation writes the bootstrap key: its secret in AWS, the operator key file locally. */
export function bootstrapKeyVault(env: KeysEnv, core: CoreDependencies): BootstrapKeyVault {
  if (env.BOOTSTRAP_KEY_SECRET_ARN) return new SecretsManagerBootstrapKeyVault(() => awsClients().secrets, env.BOOTSTRAP_KEY_SECRET_ARN);
  if (env.OPERATOR_KEY_FILE) return new LocalFileBootstrapKeyVault(core.stores.apiKeys, env.OPERATOR_KEY_FILE);
  return fixedBootstrapKey;
}
