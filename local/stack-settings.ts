import { functionUrlFunctions, providerListEnvironment, sendersEnvironment, sendRatesEnvironment } from '../functions/catalog.js';
import type { DeploymentBindings, DeploymentSettings, QueueId } from '../functions/catalog-types.js';
import { buildListedProviders } from '../shared/adapters/providers/listed-providers.js';
import { configuredSenderIdentities } from '../shared/adapters/providers/sender-identities.js';
import { providerRegistry } from '../shared/adapters/providers/registry.js';
import { providerEnvSchema, sendersEnvSchema, sendRatesEnvSchema } from '../shared/config/env.js';
import { parseEnvironment } from '../shared/runtime/environment.js';
import { mapValues } from '../shared/runtime/records.js';
import { localFunctionsEnvironment, localProviderEnvironment } from './local-settings.js';
import type { LocalStackOptions } from './local-stack-options.js';
import { localObservabilityEnvironment } from './observability.js';
import type { ProvisionedQueue } from './provision.js';

export const TABLE_NAME = 'crier-local';
/** Where the embedded OpenID provider answers, and the console's client id there. */
export const LOCAL_ISSUER_PATH = '/oidc';
export const LOCAL_CONSOLE_CLIENT_ID = 'crier-console';
export const LOCAL_AWS_SMS_TOPIC_ARN = 'arn:aws:sns:eu-west-2:000000000000:crier-local-aws-sms';

/**
 * Every listed provider's settings, and the identities the senders will send from, before anything
 * else starts: a provider that failover would move traffic onto, or a sender ID nobody can text
 * STOP back to, must not first be found wanting at a send.
 */
export function checkProvidersAndSenders(settings: DeploymentSettings, options: LocalStackOptions, baseUrl: string): void {
  const providerSettings = parseEnvironment(providerEnvSchema, { ...process.env, ...providerListEnvironment(settings), ...localProviderEnvironment(options, baseUrl) });
  buildListedProviders(providerSettings, providerRegistry);
  const identitySettings = parseEnvironment(sendersEnvSchema.extend(sendRatesEnvSchema.shape), {
    ...process.env,
    ...sendRatesEnvironment(settings),
    ...sendersEnvironment(settings),
  });
  configuredSenderIdentities({ ...providerSettings, ...identitySettings });
}

export function pointAwsSdkAt(dynamoEndpoint: string, sqsEndpoint: string): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
}

/** What the catalog's functions are bound to locally, as the CDK stack binds them on AWS. */
export function localBindings(
  queues: Record<QueueId, ProvisionedQueue>,
  publicBaseUrl: string,
  options: LocalStackOptions,
  settings: DeploymentSettings,
  consoleClientSecret: string,
): DeploymentBindings {
  return {
    tableName: TABLE_NAME,
    queueUrls: mapValues(queues, (queue) => queue.url),
    deadLetterQueueUrls: mapValues(queues, (queue) => queue.deadLetterUrl),
    publicBaseUrl,
    // The local gateway serves a function URL's routes itself, at the same paths: one address for every caller.
    functionUrls: Object.fromEntries(functionUrlFunctions().map((functionId) => [functionId, publicBaseUrl])),
    secretArns: {},
    ...(options.operatorKeyFile ? { operatorKeyFile: options.operatorKeyFile } : {}),
    awsSmsTopicArn: LOCAL_AWS_SMS_TOPIC_ARN,
    // The embedded OpenID provider (local/identity-provider.ts) on this same server; the
    // console's client secret is made afresh at each start, as the provider's keys are.
    signIn: { issuer: `${publicBaseUrl}${LOCAL_ISSUER_PATH}`, clientId: LOCAL_CONSOLE_CLIENT_ID, clientSecret: consoleClientSecret },
    settings,
  };
}

/** The functions run in this process: they read their bindings from its environment, as on Lambda. */
export function exportFunctionsEnvironment(bindings: DeploymentBindings, options: LocalStackOptions, baseUrl: string, sandboxBaseUrl = baseUrl): void {
  Object.assign(process.env, localFunctionsEnvironment(bindings, options, baseUrl, sandboxBaseUrl));
  Object.assign(process.env, localObservabilityEnvironment(process.env));
}
