import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../shared/adapters/dynamo/table-definition.js';

/** The table as CDK makes it: its keys, on-demand, no secondary index. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [tableDefinition.partitionKey, tableDefinition.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
  };
}

export async function describeTable(dynamo: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export async function createTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await dynamo.send(new CreateTableCommand(createTableInput(tableName)));
  await untilActive(dynamo, tableName);
  await dynamo
    .send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
      }),
    )
    .catch(() => undefined); // dynalite does not implement TTL; nothing relies on it locally.
}

/** Where a table's items waited while an earlier version made the table again. */
export const rebuildNameOf = (tableName: string) => `${tableName}-rebuild`;

/**
 * Completes a rebuild an earlier version left cut short (a crash or Ctrl-C). Versions that listed
 * a broadcast's messages through a secondary index made a DATA_DIR table from before the index
 * again with it: items copied out to this second table, the table deleted and made again, the
 * items copied back. The copy exists from the start of such a rebuild to its very end, and the
 * table was deleted only once the copy was whole; so whatever the point it stopped at, copying
 * the copy back into the table (made if it is gone) loses nothing, and rewriting an item the
 * table still holds changes nothing. Then the copy goes.
 */
export async function finishInterruptedRebuild(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const rebuild = rebuildNameOf(tableName);
  if (!(await describeTable(dynamo, rebuild))) return;
  await restoreFrom(dynamo, rebuild, tableName);
}

async function restoreFrom(dynamo: DynamoDBClient, rebuild: string, tableName: string): Promise<void> {
  if (!(await describeTable(dynamo, tableName))) await createTable(dynamo, tableName);
  await copyItems(dynamo, rebuild, tableName);
  await deleteTable(dynamo, rebuild);
}

/** Every item, byte for byte (the low-level client: no marshalling). */
async function copyItems(dynamo: DynamoDBClient, from: string, to: string): Promise<void> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: from, ExclusiveStartKey: startKey }));
    const items = page.Items ?? [];
    for (let start = 0; start < items.length; start += 25) {
      let pending = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const { UnprocessedItems } = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [to]: pending } }));
        pending = (UnprocessedItems?.[to] ?? []) as typeof pending;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Deletes a table and waits until it is gone: dynalite (and DynamoDB) delete in the background,
 * and a table of the same name made while the old one is still DELETING is lost with it.
 */
async function deleteTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  await dynamo.send(new DeleteTableCommand({ TableName: tableName }));
  for (let attempt = 0; (await describeTable(dynamo, tableName)) !== undefined; attempt += 1) {
    if (attempt >= 600) throw new Error(`table ${tableName} was not deleted`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
  }
}

/** dynalite answers CREATING or UPDATING for a moment (0 ms locally); DynamoDB for longer. */
async function untilActive(dynamo: DynamoDBClient, tableName: string): Promise<TableDescription> {
  for (let attempt = 0; ; attempt += 1) {
    const table = await describeTable(dynamo, tableName);
    const busy = !table || table.TableStatus !== 'ACTIVE' || (table.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus !== 'ACTIVE');
    if (!busy) return table;
    if (attempt >= 600) throw new Error(`table ${tableName} did not become active`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
  }
}
