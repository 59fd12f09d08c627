import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Query finds, page after page until DynamoDB gives no LastEvaluatedKey: for reads
 * that act on all of something small and bounded (a resident's own records, never a listing a
 * person pages through, which gives a cursor instead: query-page.ts). One request a page.
 */
export async function queryEveryPage(
  documents: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({ ...query, ExclusiveStartKey: cursor }));
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}
