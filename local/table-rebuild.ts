import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { broadcastIndexKey } from '../shared/adapters/dynamo/message-store.js';
import { tableDefinition, tableIndexes } from '../shared/adapters/dynamo/table-definition.js';

/** The table as CDK makes it: keys, every global secondary index, on-demand. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([tableDefinition.partitionKey, tableDefinition.sortKey]);
  for (const index of tableIndexes) attributes.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
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

export function missingIndexes(table: TableDescription): string[] {
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return tableIndexes.map((index) => index.name).filter((name) => !present.has(name));
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

/** Where a table's items wait while it is made again (see addMissingIndexes). */
export const rebuildNameOf = (tableName: string) => `${tableName}-rebuild`;

/**
 * Gives a table made before one of its indexes existed (a DATA_DIR from an earlier version) the
 * index, with every item in it. UpdateTable first: DynamoDB (and DynamoDB Local) create the index
 * and fill it from the items. dynalite cannot (it refuses the call, or would take it and make no
 * index), so there the table is made again: its items are copied to a second table with the indexes, then the table is
 * deleted, created with them, and the items copied back. The copy also gives each broadcast
 * message the index key it would have been written with today, so older broadcasts have their
 * report too. Safe to stop at any point: see finishInterruptedRebuild.
 */
export async function addMissingIndexes(dynamo: DynamoDBClient, tableName: string, table: TableDescription): Promise<void> {
  const input = createTableInput(tableName);
  const missing = missingIndexes(table);
  const added = await dynamo
    .send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: input.GlobalSecondaryIndexes!
          .filter((index) => missing.includes(index.IndexName!))
          .map((index) => ({ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } })),
      }),
    )
    .then(
      () => true,
      // dynalite validates the call as for a provisioned table and refuses it.
      (error: unknown) => {
        if ((error as Error).name === 'ValidationException') return false;
        throw error;
      },
    );
  if (added && missingIndexes(await untilActive(dynamo, tableName)).length === 0) return;

  const rebuild = rebuildNameOf(tableName);
  await createTable(dynamo, rebuild);
  await copyItems(dynamo, tableName, rebuild);
  // Only now, with every item safe in the copy, does the original go.
  await deleteTable(dynamo, tableName);
  await restoreFrom(dynamo, rebuild, tableName);
}

/**
 * Completes a rebuild a crash or Ctrl-C cut short. The copy table exists from the start of a
 * rebuild to its very end. If the table is gone, or already has its indexes, the copy was whole
 * (the table is deleted only after it): make the table, copy back (rewriting an item is
 * harmless), drop the copy. If the table is still the old one, the copy may be part-made: drop
 * it, and the caller starts again.
 */
export async function finishInterruptedRebuild(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  const rebuild = rebuildNameOf(tableName);
  if (!(await describeTable(dynamo, rebuild))) return;
  const table = await describeTable(dynamo, tableName);
  if (table && missingIndexes(table).length > 0) {
    await deleteTable(dynamo, rebuild);
    return;
  }
  await restoreFrom(dynamo, rebuild, tableName);
}

async function restoreFrom(dynamo: DynamoDBClient, rebuild: string, tableName: string): Promise<void> {
  if (!(await describeTable(dynamo, tableName))) await createTable(dynamo, tableName);
  await copyItems(dynamo, rebuild, tableName);
  await deleteTable(dynamo, rebuild);
}

/** Every item, byte for byte (the low-level client: no marshalling), plus the index keys it lacks. */
async function copyItems(dynamo: DynamoDBClient, from: string, to: string): Promise<void> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: from, ExclusiveStartKey: startKey }));
    const items = (page.Items ?? []).map(withIndexKeys);
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

function withIndexKeys(item: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const broadcastId = item.type?.S === 'message' ? item.broadcastId?.S : undefined;
  const added = Object.entries(broadcastIndexKey({ broadcastId })).filter(([name]) => item[name] === undefined);
  return { ...item, ...Object.fromEntries(added.map(([name, value]) => [name, { S: value }])) };
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
