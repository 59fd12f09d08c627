import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../../domain/language.js';
import type { ReplyId, ReplyOverrides } from '../../domain/replies.js';
import type { ReplyTextStore } from '../../inbox/reply-text-store.js';
import { keys } from './keys.js';

/**
 * Overrides live in one small item, as a map `language.replyId → text`. Read afresh for every
 * reply (half a read unit; residents' texts are not the hot path), so an operator's edit applies
 * to the very next text, in every function.
 */
export class DynamoReplyTextStore implements ReplyTextStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async overrides(): Promise<ReplyOverrides> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.replyTexts }));
    const overrides: ReplyOverrides = {};
    for (const [key, text] of Object.entries((Item?.texts ?? {}) as Record<string, unknown>)) {
      const [language, replyId] = key.split('.') as [Language, ReplyId];
      if (typeof text === 'string') (overrides[language] ??= {})[replyId] = text;
    }
    return overrides;
  }

  async setOverride(language: Language, replyId: ReplyId, text: string | undefined): Promise<void> {
    const key = `${language}.${replyId}`;
    // The map is created on first use: a missing parent map can be neither SET into nor REMOVEd from.
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.replyTexts,
        UpdateExpression: 'SET texts = if_not_exists(texts, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.replyTexts,
        UpdateExpression: text === undefined ? 'REMOVE texts.#key' : 'SET texts.#key = :text',
        ExpressionAttributeNames: { '#key': key },
        ExpressionAttributeValues: text === undefined ? undefined : { ':text': text },
      }),
    );
  }
}
