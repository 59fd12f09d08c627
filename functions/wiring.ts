import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AdminEnv, ResidentTextsEnv, TableEnv } from '../shared/config/env.js';
import type { ReplySendJob } from '../shared/domain/jobs.js';
import { awsClients } from '../shared/adapters/aws-clients.js';
import { dynamoStores } from '../shared/adapters/dynamo/stores.js';
import { systemClock, ulidGenerator } from '../shared/adapters/ids.js';
import { SqsJobQueue } from '../shared/adapters/sqs/sqs-job-queue.js';
import { hashApiKey, type BootstrapKeyHash } from '../shared/usecases/authenticate.js';
import { retentionPeriodsOf } from '../shared/retention/periods.js';
import type { CoreDependencies, InboundDependencies } from '../shared/usecases/dependencies.js';

/**
 * The composition root of the functions: it builds adapters from a validated environment. Handlers
 * call these once per container (see `httpFunction`/`queueFunction`), never at module load.
 */
export function coreDependencies(env: TableEnv): CoreDependencies {
  return {
    stores: dynamoStores(awsClients().documents, env.TABLE_NAME, env.TOPIC_SHARDS, { retention: retentionPeriodsOf(env) }),
    clock: systemClock,
    ids: ulidGenerator(),
  };
}

/** What the functions that take residents' texts (Twilio, WhatsApp Cloud, AWS SMS) need. */
export function inboundDependencies(env: ResidentTextsEnv): InboundDependencies {
  return {
    ...coreDependencies(env),
    replies: jobQueue<ReplySendJob>(env.SEND_URGENT_QUEUE_URL),
    settings: { serviceName: env.SERVICE_NAME, contact: env.SERVICE_CONTACT, floodLimit: env.FLOOD_LIMIT },
  };
}

export function jobQueue<Job>(queueUrl: string): SqsJobQueue<Job> {
  return new SqsJobQueue<Job>(awsClients().sqs, queueUrl);
}

/** The bootstrap operator key's hash, read from its secret once (AWS only). */
export function bootstrapKeyHash(env: AdminEnv): BootstrapKeyHash {
  const secretArn = env.BOOTSTRAP_KEY_SECRET_ARN;
  if (!secretArn) return async () => undefined;
  let hash: Promise<string | undefined> | undefined;
  return () => {
    hash ??= awsClients()
      .secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))
      .then(({ SecretString }) => (SecretString ? hashApiKey(SecretString.trim()) : undefined))
      .catch((error: unknown) => {
        hash = undefined;
        throw error;
      });
    return hash;
  };
}
