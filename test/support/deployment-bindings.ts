import type { DeploymentBindings, DeploymentSettings } from '../../functions/catalog-types.js';
import { functionUrlFunctions } from '../../functions/catalog.js';
import { queueIds } from '../../shared/domain/queues.js';

/**
 * What a deployment hands its functions, with real-looking values where a CDK stack has tokens:
 * for tests that build a function's environment from the catalog without a stack.
 */
export function deploymentBindings(settings: DeploymentSettings, overrides: Partial<DeploymentBindings> = {}): DeploymentBindings {
  const baseUrl = 'https://crier.council.example';
  return {
    tableName: 'crier-test',
    queueUrls: Object.fromEntries(queueIds.map((queue) => [queue, `https://sqs.eu-west-2.amazonaws.com/123456789012/crier-${queue}`])) as DeploymentBindings['queueUrls'],
    deadLetterQueueUrls: Object.fromEntries(queueIds.map((queue) => [queue, `https://sqs.eu-west-2.amazonaws.com/123456789012/crier-${queue}-dlq`])) as DeploymentBindings['deadLetterQueueUrls'],
    publicBaseUrl: baseUrl,
    functionUrls: Object.fromEntries(functionUrlFunctions().map((functionId) => [functionId, `https://${functionId}.lambda-url.eu-west-2.on.aws`])),
    secretArns: {},
    awsSmsTopicArn: 'arn:aws:sns:eu-west-2:123456789012:crier-aws-sms',
    signIn: { issuer: `${baseUrl}/oidc`, clientId: 'crier-console', clientSecret: 'a-console-client-secret' },
    settings,
    ...overrides,
  };
}
