import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_KEYS_PER_REQUEST = 100;

/**
 * BatchGetItem over any number of keys, retrying unprocessed keys (DynamoDB returns them under
 * throttling) with a short backoff. An opt-out check must never silently skip a key.
 */
export async function batchGetAll(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keyList: readonly Record<string, string>[],
  projection?: string,
  consistentRead = false,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keyList.length; start += MAX_KEYS_PER_REQUEST) {
    let pending: Record<string, unknown>[] = keyList.slice(start, start + MAX_KEYS_PER_REQUEST);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const response = await documents.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(projection ? { ProjectionExpression: projection } : {}),
              ...(consistentRead ? { ConsistentRead: true } : {}),
            },
          },
        }),
      );
      items.push(...(response.Responses?.[tableName] ?? []));
      pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
