import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '../platform/tracer.js';

/**
 * One client of each kind per process, created at first use (not at module load), so the local
 * stack and tests can set endpoints first. Region, credentials and endpoints come from the
 * standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, …). Each is traced in X-Ray
 * (a subsegment per call: service, operation, table or queue, never the items) where tracing is on.
 */
let clients: { dynamo: DynamoDBClient; documents: DynamoDBDocumentClient; sqs: SQSClient; secrets: SecretsManagerClient } | undefined;

export function awsClients() {
  if (!clients) {
    const dynamo = traced(new DynamoDBClient({}));
    clients = {
      dynamo,
      documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      sqs: traced(new SQSClient({})),
      secrets: traced(new SecretsManagerClient({})),
    };
  }
  return clients;
}
