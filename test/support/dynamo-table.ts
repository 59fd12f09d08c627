import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '../../local/provision.js';

export interface TestTable {
  tableName: string;
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
}

/** Fake credentials and a region: dynalite checks neither, the SDK insists on both. */
export const localAwsClientConfig = {
  region: 'eu-west-2',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * A fresh table with a random name in the run's one dynalite (see global-setup.ts), created from
 * the same definition as the local stack and CDK, so each test file (or test) starts empty and
 * never sees another's items. The document client marshals as `awsClients()` does, so stores
 * behave here exactly as in the functions.
 */
export async function freshTable(prefix = 'crier-test'): Promise<TestTable> {
  const dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: inject('dynamoEndpoint') });
  const documents = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = `${prefix}-${randomBytes(6).toString('hex')}`;
  await ensureTable(dynamo, tableName);
  return { tableName, dynamo, documents };
}
