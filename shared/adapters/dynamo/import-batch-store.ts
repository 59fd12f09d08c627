import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { importBatchSchema, type ImportBatch, type ImportBatchStore } from '../../residents/import-batch.js';
import { keys } from './keys.js';

/**
 * Import batches: each by its id, and a copy in one listing partition by time (a department
 * imports a few files a week, not thousands, so one partition never runs hot). The records hold
 * no phone number, so they carry no expiry of the retention schedule.
 */
export class DynamoImportBatchStore implements ImportBatchStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(batch: ImportBatch): Promise<void> {
    const item = { ...batch, type: 'importBatch' };
    const { Attributes } = await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.importBatch(batch.id), ...item }, ReturnValues: 'ALL_OLD' }),
    );
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.importListing(batch.at, batch.id), ...item } }));
    // An earlier attempt of the same batch is listed at its own time: one batch, one line in the list.
    const earlierAt = typeof Attributes?.at === 'string' ? Attributes.at : undefined;
    if (earlierAt && earlierAt !== batch.at) {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.importListing(earlierAt, batch.id) }));
    }
  }

  async get(id: string): Promise<ImportBatch | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.importBatch(id) }));
    return Item ? importBatchSchema.parse(Item) : undefined;
  }

  async recent(limit: number): Promise<ImportBatch[]> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.importsPartition },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => importBatchSchema.parse(item));
  }
}
