import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keyModeSchema, roleSchema } from '../../domain/model.js';
import type { ApiKeyRecord, ApiKeyStore } from '../../staff/api-key-store.js';
import type { Page } from '../../ports/page.js';
import { decodeApiKeyCursor, encodeApiKeyCursor } from '../../platform/api-key-cursor.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';
import { pageOfQuery } from './query-page.js';

/**
 * Two items per key: the credential (`APIKEY#<hash>`, what authentication reads) and the key by
 * id (`APIKEYS` / `KEY#<id>`, what listing and revoking read; it points to the hash). dynalite has
 * no transactions, so writes go in an order that is safe to stop at any step and to replay:
 * create writes the id item first (a key that cannot authenticate yet), then the credential;
 * revoke disables the credential first (the key stops working at once), then the id item.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKey(hash), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async create(hash: string, record: ApiKeyRecord): Promise<void> {
    const attributes = { ...record, revokedAt: record.revokedAt };
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKeyById(record.keyId), type: 'apiKeyById', ...attributes, hash } }),
    );
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKey(hash), type: 'apiKey', ...attributes } }),
    );
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKeyById(keyId), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<ApiKeyRecord>> {
    const { Items, LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.apiKeysPartition },
        // One more than the page, so a cursor is given only when a key follows (query-page.ts).
        Limit: limit + 1,
        ExclusiveStartKey: cursor === undefined ? undefined : keys.apiKeyById(decodeApiKeyCursor(cursor)),
      }),
    );
    const { items, resumeAfter } = pageOfQuery(Items ?? [], LastEvaluatedKey, limit);
    return {
      items: items.map(toRecord),
      cursor: resumeAfter ? encodeApiKeyCursor(String(resumeAfter.sk).slice('KEY#'.length)) : undefined,
    };
  }

  async revoke(keyId: string, at: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKeyById(keyId), ConsistentRead: true }),
    );
    if (!Item) return false;
    for (const key of [keys.apiKey(String(Item.hash)), keys.apiKeyById(keyId)]) {
      try {
        await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET revoked = :true, revokedAt = if_not_exists(revokedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':true': true, ':at': at },
          }),
        );
      } catch (error) {
        // A credential never written (a create that stopped half-way) cannot authenticate anyway.
        if (!isConditionFailure(error)) throw error;
      }
    }
    return true;
  }
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return {
    keyId: String(item.keyId),
    name: String(item.name),
    role: roleSchema.parse(item.role),
    department: String(item.department),
    // Keys stored before test mode existed are live keys.
    mode: keyModeSchema.parse(item.mode ?? 'live'),
    createdAt: String(item.createdAt),
    revoked: item.revoked === true,
    ...(typeof item.revokedAt === 'string' ? { revokedAt: item.revokedAt } : {}),
  };
}
