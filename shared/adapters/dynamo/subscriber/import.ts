import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { shardOf } from '../../../domain/sharding.js';
import type { ImportedSubscription, ImportEvidence, ImportStore } from '../../../consent/import-store.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { COUNTED_LANGUAGE, countedLanguageOf } from '../topic-counters.js';
import { consentRecordSubject, importEvidenceRef } from '../../../consent/consent-rules.js';
import { undoTakesProfile } from '../../../consent/import-rules.js';
import { IMPORT_BATCH } from './items.js';
import type { SubscriberTable } from './table.js';

/** The subscriber store's import part: an import batch's subscriptions, and their undo. */
export class DynamoImportWrites implements ImportStore {
  constructor(private readonly table: SubscriberTable) {}

  /**
   * The profile comes first and only if there is none (so a resident already known keeps theirs),
   * then the subscription as a JOIN writes it: consent, index entry, subscription, count. It does
   * not lift an opt-out: the import refuses residents who opted out, and one who texts STOP while
   * the import runs stays opted out (the sender checks the flag).
   */
  async importSubscription(row: ImportedSubscription, at: string, evidence: ImportEvidence): Promise<boolean> {
    const changes = Object.fromEntries(Object.entries(row.profile).filter(([, value]) => typeof value === 'string'));
    try {
      await this.table.documents.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { ...keys.profile(row.phone), type: 'profile', createdAt: at, [IMPORT_BATCH]: evidence.batchId, ...changes },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.table.addSubscription(row.phone, row.channel, row.topicId, at, evidence, 'import', evidence.batchId);
  }

  /**
   * In the reverse order of importSubscription, each step conditional on the batch's mark: the
   * subscription (then its index entry and count), the consent record, and last the profile, if
   * the batch made it and nothing else of the resident's is left. The subscription's condition
   * on the batch's mark is undoTakesSubscription in DynamoDB's words, atomic with the delete.
   */
  async undoImport(row: ImportedSubscription, batchId: string): Promise<void> {
    const { documents, tableName } = this.table;
    const shard = shardOf(row.phone, this.table.shardCount);
    const indexEntry = keys.topicIndexEntry(row.topicId, shard, row.phone, row.channel);
    try {
      const { Attributes } = await documents.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.subscription(row.phone, row.channel, row.topicId),
          ConditionExpression: '#batch = :batch',
          ExpressionAttributeNames: { '#batch': IMPORT_BATCH },
          ExpressionAttributeValues: { ':batch': batchId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      await documents.send(new DeleteCommand({ TableName: tableName, Key: indexEntry }));
      await this.table.counters.add(row.topicId, shard, row.channel, countedLanguageOf(Attributes?.[COUNTED_LANGUAGE]), -1);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Not the batch's. With no subscription at all, an index entry is one the batch wrote before
      // a failure stopped it short of the subscription (or an undo stopped short of the entry).
      const existing = await documents.send(
        new GetCommand({ TableName: tableName, Key: keys.subscription(row.phone, row.channel, row.topicId), ConsistentRead: true }),
      );
      if (!existing.Item) await documents.send(new DeleteCommand({ TableName: tableName, Key: indexEntry }));
    }
    await documents.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.consentEvent(row.phone, consentRecordSubject({ action: 'opt_in', channel: row.channel, topicId: row.topicId }), importEvidenceRef(batchId)),
      }),
    );
    const left = await this.table.queryPartition(row.phone, '');
    const profile = left.find((item) => item.sk === 'PROFILE');
    const madeBy = typeof profile?.[IMPORT_BATCH] === 'string' ? profile[IMPORT_BATCH] : undefined;
    if (!profile || !undoTakesProfile(batchId, madeBy, left.length - 1)) return;
    try {
      await documents.send(
        new DeleteCommand({
          TableName: tableName,
          Key: keys.profile(row.phone),
          // Not if the resident texted in the meantime (a STOP, an AREA): then the profile is theirs.
          ConditionExpression: '#batch = :batch AND createdAt = :createdAt',
          ExpressionAttributeNames: { '#batch': IMPORT_BATCH },
          ExpressionAttributeValues: { ':batch': batchId, ':createdAt': profile.createdAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
