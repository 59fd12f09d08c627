import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../../adapters/dynamo/conditions.js';
import { keys } from '../../adapters/dynamo/keys.js';
import type { BookingWrite, PaceSchedule, PacerStore } from '../pacer-store.js';

/** A schedule item outlives its last booking by a day, then TTL removes it. */
const KEEP_SECONDS = 86_400;

/**
 * A sender's schedule as one small item (`nextAt`, `urgentUntil`), each change one conditional
 * UpdateItem of ~100 bytes (1 WCU). The expressions are read back from the wire by the bench's
 * timeline (bench/timeline.ts): `nextAt = nextAt + :cost` books :cost ms, `nextAt = :end` with
 * `:now` restarts the schedule, `nextAt = :until` holds it after a 429.
 */
export class DynamoPacerStore implements PacerStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async extend(write: BookingWrite & { cost: number; latestStart: number }): Promise<number | undefined> {
    const Attributes = await this.book(write, 'nextAt = nextAt + :cost', 'nextAt BETWEEN :now AND :latest', { ':cost': write.cost, ':latest': write.latestStart });
    const previous = Attributes?.nextAt;
    return typeof previous === 'number' ? previous : undefined;
  }

  async restart(write: BookingWrite & { end: number }): Promise<boolean> {
    return (await this.book(write, 'nextAt = :end', '(attribute_not_exists(nextAt) OR nextAt < :now)', { ':end': write.end })) !== undefined;
  }

  async moveTo(sender: string, until: number): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendPace(sender),
          UpdateExpression: 'SET nextAt = :until, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :until',
          ExpressionAttributeValues: { ':until': until, ':expiresAt': Math.ceil(until / 1000) + KEEP_SECONDS },
        }),
      );
    } catch (error) {
      // Already as far on (or booked further): nothing to move.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async read(sender: string): Promise<PaceSchedule | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.sendPace(sender), ConsistentRead: true }));
    return Item ? { nextAt: Number(Item.nextAt), urgentUntil: Number(Item.urgentUntil ?? 0) } : undefined;
  }

  /** One conditional booking write: the item's old attributes ({} when it had none), or undefined when the condition failed. */
  private async book(write: BookingWrite, set: string, condition: string, values: Record<string, number>): Promise<Record<string, unknown> | undefined> {
    const urgent = write.urgentUntil !== undefined;
    const urgentGuard = write.unlessUrgent ? ' AND (attribute_not_exists(urgentUntil) OR urgentUntil <= :now)' : '';
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.sendPace(write.sender),
          UpdateExpression: `SET ${set}, expiresAt = :expiresAt${urgent ? ', urgentUntil = :urgentUntil' : ''}`,
          ConditionExpression: `${condition}${urgentGuard}`,
          ExpressionAttributeValues: {
            ...values,
            ':now': write.now,
            ':expiresAt': Math.ceil(write.now / 1000) + KEEP_SECONDS,
            ...(urgent ? { ':urgentUntil': write.urgentUntil } : {}),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
