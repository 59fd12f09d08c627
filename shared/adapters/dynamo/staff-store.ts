import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import { keyModeSchema, roleSchema } from '../../domain/model.js';
import type { Page } from '../../ports/page.js';
import { decodeStaffCursor, encodeStaffCursor } from '../../staff/staff-cursor.js';
import { staffEmailTaken, staffSubjectTaken, type StaffRecord } from '../../staff/staff-record.js';
import type { StaffStore } from '../../staff/staff-store.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';
import { pageOfQuery } from './query-page.js';

/**
 * A claim older than this with no record behind it is a create that stopped part-way (a function
 * lives at most seconds), so a new create may take it over; a younger one may be a create still
 * under way.
 */
const ABANDONED_CLAIM_MS = 5 * 60 * 1000;

interface Claim {
  key: { pk: string; sk: string };
  /** The refusal when someone current holds it: a whole sentence naming it. */
  refusal: string;
}

/**
 * Up to three items per person: the record (`STAFF` / `STAFF#<id>`, what listing and removal
 * read) and a claim per email and subject holding the record's id (what sign-in reads, and what
 * keeps both unique). dynalite has no transactions, so writes go in an order that is safe to stop
 * at any step and to replay: create claims first (conditionally: nobody else's), then writes the
 * record, and lookups through a claim with no record find nobody; remove marks the record first
 * (the person loses access at once), then frees the claims.
 */
export class DynamoStaffStore implements StaffStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: StaffRecord): Promise<void> {
    const claims = claimsOf(record);
    const taken: Claim[] = [];
    try {
      for (const claim of claims) {
        await this.claim(claim, record);
        taken.push(claim);
      }
    } catch (error) {
      // Nothing half-written: an email claimed for a create refused over its subject is given back.
      for (const claim of taken) await this.release(claim, record.id);
      throw error;
    }
    await this.documents.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.staffById(record.id), type: 'staff', ...record } }),
    );
  }

  async get(id: string): Promise<StaffRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: keys.staffById(id), ConsistentRead: true }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async findByEmail(email: string): Promise<StaffRecord | undefined> {
    return this.throughClaim(keys.staffEmail(email));
  }

  async findBySubject(subject: string): Promise<StaffRecord | undefined> {
    return this.throughClaim(keys.staffSubject(subject));
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<StaffRecord>> {
    const { Items, LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.staffPartition },
        // One more than the page, so a cursor is given only when a record follows (query-page.ts).
        Limit: limit + 1,
        ExclusiveStartKey: cursor === undefined ? undefined : keys.staffById(decodeStaffCursor(cursor)),
      }),
    );
    const { items, resumeAfter } = pageOfQuery(Items ?? [], LastEvaluatedKey, limit);
    return {
      items: items.map(toRecord),
      cursor: resumeAfter ? encodeStaffCursor(String(resumeAfter.sk).slice('STAFF#'.length)) : undefined,
    };
  }

  async bindSubject(id: string, subject: string): Promise<StaffRecord | undefined> {
    const record = await this.get(id);
    if (!record || record.removedAt !== undefined) return undefined;
    if (record.subject !== undefined) return record.subject === subject ? record : undefined;
    const bound = { ...record, subject };
    const claim = { key: keys.staffSubject(subject), refusal: staffSubjectTaken(subject) };
    // The claim first (as create does), then the record, only while it is still current and unbound.
    try {
      await this.claim(claim, bound);
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.staffById(id),
          UpdateExpression: 'SET subject = :subject',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt) AND (attribute_not_exists(subject) OR subject = :subject)',
          ExpressionAttributeValues: { ':subject': subject },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.release(claim, id);
      return undefined;
    }
  }

  async change(id: string, fields: Pick<StaffRecord, 'department' | 'role' | 'mode'>): Promise<StaffRecord | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.staffById(id),
          UpdateExpression: 'SET department = :department, #role = :role, #mode = :mode',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(removedAt)',
          ExpressionAttributeNames: { '#role': 'role', '#mode': 'mode' },
          ExpressionAttributeValues: { ':department': fields.department, ':role': fields.role, ':mode': fields.mode },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async remove(id: string, at: string): Promise<boolean> {
    let removed: StaffRecord;
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.staffById(id),
          UpdateExpression: 'SET removedAt = if_not_exists(removedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      removed = toRecord(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    for (const claim of claimsOf(removed)) await this.release(claim, id);
    return true;
  }

  private async throughClaim(key: { pk: string; sk: string }): Promise<StaffRecord | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!Item) return undefined;
    const record = await this.get(String(Item.staffId));
    return record && record.removedAt === undefined ? record : undefined;
  }

  /** Claims an email or subject for the record: free, already this record's, or abandoned by another. */
  private async claim({ key, refusal }: Claim, record: StaffRecord): Promise<void> {
    const item = { ...key, type: 'staffClaim', staffId: record.id, claimedAt: record.createdAt };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR staffId = :id',
          ExpressionAttributeValues: { ':id': record.id },
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item: held } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (held && (await this.abandoned(held, record.createdAt))) {
      try {
        // Taken over only while it still names the same record, so two creates cannot both win it.
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'staffId = :held',
            ExpressionAttributeValues: { ':held': held.staffId },
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new ConflictError(refusal);
  }

  /** A claim whose record was removed (a removal that stopped part-way), or a create long abandoned. */
  private async abandoned(held: Record<string, unknown>, now: string): Promise<boolean> {
    const holder = await this.get(String(held.staffId));
    if (holder) return holder.removedAt !== undefined;
    return Date.parse(now) - Date.parse(String(held.claimedAt)) > ABANDONED_CLAIM_MS;
  }

  private async release({ key }: Claim, id: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'staffId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      );
    } catch (error) {
      // Already freed, or since taken by someone else: either way not ours to delete.
      if (!isConditionFailure(error)) throw error;
    }
  }
}

function claimsOf(record: StaffRecord): Claim[] {
  return [
    { key: keys.staffEmail(record.email), refusal: staffEmailTaken(record.email) },
    ...(record.subject === undefined
      ? []
      : [{ key: keys.staffSubject(record.subject), refusal: staffSubjectTaken(record.subject) }]),
  ];
}

function toRecord(item: Record<string, unknown>): StaffRecord {
  return {
    id: String(item.id),
    email: String(item.email),
    name: String(item.name),
    department: String(item.department),
    role: roleSchema.parse(item.role),
    mode: keyModeSchema.parse(item.mode),
    ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
    ...(typeof item.removedAt === 'string' ? { removedAt: item.removedAt } : {}),
  };
}
