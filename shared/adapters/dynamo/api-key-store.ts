import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { roleSchema } from '../../domain/model.js';
import type { ApiKeyRecord, ApiKeyStore } from '../../ports/stores.js';
import { keys } from './keys.js';

export class DynamoApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(hash) }));
    if (!Item) return undefined;
    return {
      keyId: String(Item.keyId),
      name: String(Item.name),
      role: roleSchema.parse(Item.role),
      department: String(Item.department),
      createdAt: String(Item.createdAt),
      revoked: Item.revoked === true,
    };
  }

  async put(hash: string, record: ApiKeyRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.apiKey(hash), type: 'apiKey', ...record } }),
    );
  }
}
