import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ERASED } from '../../../domain/erasure.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import type { InboxTable } from './table.js';

/** The inbox store's erasure part: an erased resident's words taken out of their entries. */
export class DynamoInboxErasure {
  constructor(private readonly table: InboxTable) {}

  async anonymise(id: string): Promise<void> {
    const position = await this.table.position(id);
    if (!position) return;
    // Staff's replies and notes may quote the resident: their words go too (who wrote them and when stay).
    const { replies, notes } = (await this.table.get(id)) ?? {};
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.inboxEntry(position.department, position.receivedAt, id),
          UpdateExpression: `SET #from = :erased, body = :erased${replies ? ', replies = :replies' : ''}${notes ? ', notes = :notes' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#from': 'from' },
          ExpressionAttributeValues: {
            ':erased': ERASED,
            ...(replies ? { ':replies': replies.map((reply) => ({ ...reply, body: ERASED })) } : {}),
            ...(notes ? { ':notes': notes.map((note) => ({ ...note, text: ERASED })) } : {}),
          },
        }),
      );
    } catch (error) {
      // An id item without its entry: a crash between the two writes of add.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
