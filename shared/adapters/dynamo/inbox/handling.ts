import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { InboxEntry, InboxNote, InboxReply } from '../../../inbox/inbox-store.js';
import { expiresAt } from '../../../retention/schedule.js';
import { isConditionFailure } from '../conditions.js';
import { keys } from '../keys.js';
import { toEntry, type Position } from './items.js';
import type { InboxTable } from './table.js';

/** The inbox store's handling part: what staff do to an entry (handle, reopen, reply, assign, note). */
export class DynamoInboxHandling {
  constructor(private readonly table: InboxTable) {}

  /**
   * Conditional, so the first who and when stay: marking twice changes nothing. Handling keeps the
   * entry another retention period (shared/retention/schedule.ts), and with it what points to it:
   * its id item (without which erasure cannot find it) and the sender's reference. Those follow
   * the entry's stored handling time on every call, so a retry after a crash part-way finishes them.
   */
  async markHandled(id: string, by: string, at: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const result = await this.updateUnlessDone(id, (position) => ({
      UpdateExpression: 'SET handled = :true, handledAt = :at, handledBy = :by, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_exists(pk) AND handled <> :true',
      ExpressionAttributeValues: { ':true': true, ':at': at, ':by': by, ':expiresAt': this.table.expiryOf(position.receivedAt, at) },
    }));
    if (result?.entry.handledAt) await this.keepPointersTo(result.entry, result.entry.handledAt);
    return result;
  }

  /**
   * Conditional on the entry being handled, so reopening twice changes nothing. The entry keeps
   * the longer expiry handling gave it (and its pointers theirs): a reopened entry is work again,
   * and is kept at least as long as a handled one.
   */
  async reopen(id: string): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    return this.updateUnlessDone(id, () => ({
      UpdateExpression: 'SET handled = :false REMOVE handledAt, handledBy',
      ConditionExpression: 'attribute_exists(pk) AND handled = :true',
      ExpressionAttributeValues: { ':true': true, ':false': false },
    }));
  }

  /**
   * Conditional on the reply's message id not being in the entry's set of them (`replyIds`), so a
   * second call with the same id (a double-clicked Send reply) appends nothing.
   */
  async addReply(id: string, reply: InboxReply): Promise<{ entry: InboxEntry; added: boolean } | undefined> {
    const result = await this.updateUnlessDone(id, () => ({
      UpdateExpression: 'SET replies = list_append(if_not_exists(replies, :none), :reply) ADD replyIds :ids',
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(replyIds, :messageId)',
      ExpressionAttributeValues: { ':none': [], ':reply': [reply], ':ids': new Set([reply.messageId]), ':messageId': reply.messageId },
    }));
    return result && { entry: result.entry, added: result.changed };
  }

  /**
   * One write to an entry, conditional on it not being done already: the entry as written
   * (`changed`), or as it stands when the condition says it was done before (or undefined when
   * there is no such entry). The handling, reopening and reply writes differ only in their expressions.
   */
  private async updateUnlessDone(
    id: string,
    update: (position: Position) => Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<{ entry: InboxEntry; changed: boolean } | undefined> {
    const position = await this.table.position(id);
    if (!position) return undefined;
    try {
      const { Attributes } = await this.table.documents.send(
        new UpdateCommand({ TableName: this.table.tableName, Key: keys.inboxEntry(position.department, position.receivedAt, id), ...update(position), ReturnValues: 'ALL_NEW' }),
      );
      return { entry: toEntry(Attributes ?? {}), changed: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const entry = await this.table.get(id);
      return entry ? { entry, changed: false } : undefined;
    }
  }

  async assign(id: string, to: string | undefined): Promise<{ entry: InboxEntry; before: string | undefined } | undefined> {
    const old = await this.updateExisting(id, {
      UpdateExpression: to === undefined ? 'REMOVE assignedTo' : 'SET assignedTo = :to',
      ...(to === undefined ? {} : { ExpressionAttributeValues: { ':to': to } }),
      // The old values say who it was assigned to, exactly as this write found it.
      ReturnValues: 'ALL_OLD',
    });
    if (!old) return undefined;
    const { assignedTo: before, ...rest } = old;
    return { entry: to === undefined ? rest : { ...rest, assignedTo: to }, before };
  }

  async addNote(id: string, note: InboxNote): Promise<InboxEntry | undefined> {
    return this.updateExisting(id, {
      UpdateExpression: 'SET notes = list_append(if_not_exists(notes, :none), :note)',
      ExpressionAttributeValues: { ':none': [], ':note': [note] },
      ReturnValues: 'ALL_NEW',
    });
  }

  /**
   * One write to an entry that must exist: the entry as `ReturnValues` gives it back, or undefined
   * when there is no such entry (none found by id, or gone by the time of the write). The
   * assignment and note writes differ only in their expressions and in which values they want back.
   */
  private async updateExisting(
    id: string,
    update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ExpressionAttributeValues'> & { ReturnValues: 'ALL_OLD' | 'ALL_NEW' },
  ): Promise<InboxEntry | undefined> {
    const position = await this.table.position(id);
    if (!position) return undefined;
    try {
      const { Attributes } = await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.inboxEntry(position.department, position.receivedAt, id),
          ConditionExpression: 'attribute_exists(pk)',
          ...update,
        }),
      );
      return toEntry(Attributes ?? {});
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return undefined;
    }
  }

  /** Pointers never expire before the entry: each is moved later, never earlier. */
  private async keepPointersTo(entry: InboxEntry, handledAt: string): Promise<void> {
    const pointers = [
      { key: keys.inboxEntryById(entry.id), until: this.table.expiryOf(entry.receivedAt, handledAt) },
      {
        key: keys.inboundBySender(entry.from, entry.provider, entry.providerMessageId),
        until: expiresAt({ kind: 'inboundReference', at: entry.receivedAt, handledAt }, this.table.retention),
      },
    ];
    for (const { key, until } of pointers) {
      try {
        await this.table.documents.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: key,
            UpdateExpression: 'SET expiresAt = :until',
            // Not one that is gone (an erased sender's reference), and never earlier than it was.
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt < :until)',
            ExpressionAttributeValues: { ':until': until },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }
}
