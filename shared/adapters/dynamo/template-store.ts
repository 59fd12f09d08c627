import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.js';
import { languageSchema } from '../../domain/language.js';
import { whatsappTemplateSchema } from '../../domain/message-content.js';
import { templateFields, versionOf, type MessageTemplate, type TemplateVersion } from '../../templates/template.js';
import type { TemplateStore } from '../../templates/template-store.js';
import { batchGetAll } from './batch-get.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/** A stored template (or version) item, read back through the same shape it was written in. */
const storedVersion = z.object({
  id: z.string(),
  department: z.string(),
  name: z.string(),
  folder: z.string().optional(),
  body: z.string(),
  variants: z.partialRecord(languageSchema, z.string()).optional(),
  whatsappTemplate: whatsappTemplateSchema.optional(),
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  updatedByName: z.string(),
  changed: z.array(z.enum(templateFields)),
  archivedAt: z.string().optional(),
});
const storedTemplate = storedVersion.extend({ createdAt: z.string(), createdBy: z.string() });

/**
 * Three kinds of item (keys.ts): the template's latest version, each version kept in the same
 * partition, and a small item in its department's partition naming it. dynalite has no
 * transactions, so writes go in an order safe to stop at any step: create names the template
 * in its department first (a listing skips a name with nothing behind it), then writes the
 * template, then its first version; an edit replaces the template only while the stored version
 * is the one the edit started from (the condition that keeps two people's edits from losing
 * one), then keeps the version. A version item missed by a stop is recovered from the record
 * (template.ts `historyOf`).
 */
export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(template: MessageTemplate): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.departmentTemplate(template.department, template.id), type: 'departmentTemplate', templateId: template.id },
      }),
    );
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.template(template.id), type: 'template', ...template },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`a template with the id ${template.id} already exists`);
      throw error;
    }
    await this.keepVersion(template);
  }

  async get(id: string): Promise<MessageTemplate | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.template(id), ConsistentRead: true }));
    return Item ? storedTemplate.parse(Item) : undefined;
  }

  async listByDepartment(department: string): Promise<MessageTemplate[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.departmentTemplatesPartition(department) },
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => String(item.templateId)));
      start = page.LastEvaluatedKey;
    } while (start);
    const items = await batchGetAll(this.documents, this.tableName, ids.map((id) => keys.template(id)));
    return items.map((item) => storedTemplate.parse(item)).filter((template) => template.department === department);
  }

  async replace(next: MessageTemplate): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.template(next.id), type: 'template', ...next },
          ConditionExpression: '#version = :previous',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':previous': next.version - 1 },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    await this.keepVersion(next);
    return true;
  }

  async versions(id: string): Promise<TemplateVersion[]> {
    const versions: TemplateVersion[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.templatePartition(id), ':prefix': keys.templateVersionPrefix },
          ScanIndexForward: false,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      versions.push(...(page.Items ?? []).map((item) => storedVersion.parse(item)));
      start = page.LastEvaluatedKey;
    } while (start);
    return versions;
  }

  async version(id: string, version: number): Promise<TemplateVersion | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.templateVersion(id, version), ConsistentRead: true }),
    );
    return Item ? storedVersion.parse(Item) : undefined;
  }

  /** A version is what the template was: writing it again (a replay) writes the same item. */
  private async keepVersion(template: MessageTemplate): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.templateVersion(template.id, template.version), type: 'templateVersion', ...versionOf(template) },
      }),
    );
  }
}
