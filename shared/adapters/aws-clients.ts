import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * One client of each kind per process, created at first use (not at module load), so the local
 * stack and tests can set endpoints first. Region, credentials and endpoints come from the
 * standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL_DYNAMODB`, …).
 */
let clients: { dynamo: DynamoDBClient; documents: DynamoDBDocumentClient; sqs: SQSClient; secrets: SecretsManagerClient } | undefined;

export function awsClients() {
  if (!clients) {
    const dynamo = new DynamoDBClient({});
    clients = {
      dynamo,
      documents: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      sqs: new SQSClient({}),
      secrets: new SecretsManagerClient({}),
    };
  }
  return clients;
}
