import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CostPart, DepartmentDayCost, DepartmentDayUsage, DepartmentLimits, DepartmentStore } from '../../usage/department-store.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

/**
 * A usage item outlives its day by 13 months and a little, so the usage page can show a year
 * month by month (as GOV.UK Notify's does); then DynamoDB's TTL removes it. It holds counts and
 * costs only, nothing about a resident: one small item per department per day.
 */
const USAGE_KEPT_SECONDS = 400 * 24 * 3600;

/** Each department's limits and its messages counted per day, in the department's own partition. */
export class DynamoDepartmentStore implements DepartmentStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async limits(department: string): Promise<DepartmentLimits | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.departmentLimits(department) }));
    return Item ? toLimits(Item) : undefined;
  }

  async setLimits(department: string, limits: DepartmentLimits): Promise<DepartmentLimits | undefined> {
    const { Attributes } = await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.departmentLimits(department), type: 'departmentLimits', department, ...limits },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? toLimits(Attributes) : undefined;
  }

  async reserve(department: string, day: string, messages: number, cap: number): Promise<{ reserved: boolean; used: number }> {
    // More than the whole cap never fits, and the condition below would let a day's first one in.
    if (messages > cap) return { reserved: false, used: await this.used(department, day) };
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.departmentUsage(department, day),
          UpdateExpression: 'ADD used :messages SET #type = :type, expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(used) OR used <= :room',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':messages': messages,
            ':room': cap - messages,
            ':type': 'departmentUsage',
            ':expiresAt': expiresAtOf(day),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return { reserved: true, used: Number(Attributes?.used ?? 0) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { reserved: false, used: await this.used(department, day) };
    }
  }

  async countUncapped(department: string, day: string, messages: number): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.departmentUsage(department, day),
        UpdateExpression: 'ADD used :messages SET #type = :type, expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':messages': messages, ':type': 'departmentUsage', ':expiresAt': expiresAtOf(day) },
      }),
    );
  }

  async used(department: string, day: string): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.departmentUsage(department, day), ConsistentRead: true }),
    );
    return Number(Item?.used ?? 0);
  }

  async release(department: string, day: string, messages: number): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.departmentUsage(department, day),
        UpdateExpression: 'ADD used :messages',
        // Never below 0: a broadcast released now may have been started when a department
        // without a cap counted nothing.
        ConditionExpression: 'used >= :count',
        ExpressionAttributeValues: { ':messages': -messages, ':count': messages },
      }),
    ).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }

  async addCost(department: string, day: string, costMicros: number, currency: string, part: CostPart = 'broadcasts', messages = 0): Promise<void> {
    if (costMicros === 0 && messages === 0) return;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.departmentUsage(department, day),
        // The same usage item the cap counts in (a day with no cap has none yet: this makes it).
        UpdateExpression: `ADD costMicros :cost, sentMessages :messages${part === 'replies' ? ', replyCostMicros :cost' : ''} SET #type = :type, costCurrency = if_not_exists(costCurrency, :currency), expiresAt = if_not_exists(expiresAt, :expiresAt)`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':cost': costMicros,
          ':messages': messages,
          ':currency': currency,
          ':type': 'departmentUsage',
          ':expiresAt': expiresAtOf(day),
        },
      }),
    );
  }

  async cost(department: string, day: string): Promise<DepartmentDayCost> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.departmentUsage(department, day) }));
    return {
      costMicros: Number(Item?.costMicros ?? 0),
      replyCostMicros: Number(Item?.replyCostMicros ?? 0),
      currency: typeof Item?.costCurrency === 'string' ? Item.costCurrency : undefined,
    };
  }

  async usage(department: string, fromDay: string, toDay: string): Promise<DepartmentDayUsage[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items, LastEvaluatedKey } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.departmentUsage(department, fromDay).pk,
            ':from': keys.departmentUsage(department, fromDay).sk,
            ':to': keys.departmentUsage(department, toDay).sk,
          },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(Items ?? []));
      start = LastEvaluatedKey;
    } while (start);
    return items.map((item) => ({
      day: String(item.sk).replace(/^USAGE#/, ''),
      sent: Number(item.sentMessages ?? 0),
      countedAgainstCap: Number(item.used ?? 0),
      costMicros: Number(item.costMicros ?? 0),
      replyCostMicros: Number(item.replyCostMicros ?? 0),
      currency: typeof item.costCurrency === 'string' ? item.costCurrency : undefined,
    }));
  }
}

function expiresAtOf(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + USAGE_KEPT_SECONDS;
}

function toLimits(item: Record<string, unknown>): DepartmentLimits {
  return {
    dailyMessageCap: typeof item.dailyMessageCap === 'number' ? item.dailyMessageCap : undefined,
    operatorApprovalAbove: typeof item.operatorApprovalAbove === 'number' ? item.operatorApprovalAbove : undefined,
    updatedAt: String(item.updatedAt),
    updatedBy: String(item.updatedBy),
  };
}
