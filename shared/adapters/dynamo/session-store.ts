import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffSession } from '../../staff/session.js';
import type { SessionStore, SignInAttempt, SignInAttemptStore } from '../../staff/session-store.js';
import { isConditionFailure } from './conditions.js';
import { keys } from './keys.js';

const epochSeconds = (at: Date) => Math.ceil(at.getTime() / 1000);

/** Sessions, one item each under the hash of the cookie's secret; DynamoDB's TTL deletes them after their maximum age. */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: StaffSession, expiresAt: Date): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.session(session.idHash), type: 'session', ...session, expiresAt: epochSeconds(expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(idHash: string): Promise<StaffSession | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: keys.session(idHash), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...session } = Item;
    return session as StaffSession;
  }

  async touch(idHash: string, lastSeenAt: string): Promise<void> {
    await this.updateIfPresent(idHash, 'SET lastSeenAt = :at', { ':at': lastSeenAt });
  }

  async saveDraft(idHash: string, draft: Record<string, unknown> | undefined): Promise<void> {
    if (draft === undefined) await this.updateIfPresent(idHash, 'REMOVE draft', undefined);
    else await this.updateIfPresent(idHash, 'SET draft = :draft', { ':draft': draft });
  }

  async delete(idHash: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: keys.session(idHash) }));
  }

  /** Only while the session exists: an update would otherwise bring a signed-out session back as a fragment. */
  private async updateIfPresent(idHash: string, expression: string, values: Record<string, unknown> | undefined): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(idHash),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/** Sign-ins under way, under their state; taking one deletes it in the same request. */
export class DynamoSignInAttemptStore implements SignInAttemptStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(attempt: SignInAttempt, expiresAt: Date): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.signInAttempt(attempt.state), type: 'signIn', ...attempt, expiresAt: epochSeconds(expiresAt) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async take(state: string): Promise<SignInAttempt | undefined> {
    const { Attributes } = await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.signInAttempt(state), ReturnValues: 'ALL_OLD' }),
    );
    if (!Attributes) return undefined;
    // TTL deletion may lag: an attempt past its time is refused here too.
    if (typeof Attributes.expiresAt === 'number' && Attributes.expiresAt * 1000 < Date.now()) return undefined;
    const { pk: _pk, sk: _sk, type: _type, expiresAt: _expiresAt, ...attempt } = Attributes;
    return attempt as SignInAttempt;
  }
}
