import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueId } from '../functions/catalog-types.js';
import { keys } from '../shared/adapters/dynamo/keys.js';
import type { LocalStack } from '../local/stack.js';

/**
 * The bench's own view of the table and queues, through clients of its own, so that watching a
 * broadcast (every 100 ms) and checking the outcome afterwards add nothing to the counted requests.
 * Created after the local stack has started: the endpoints come from the environment it sets.
 */
export class Observer {
  private readonly dynamo = new DynamoDBClient({});
  private readonly documents = DynamoDBDocumentClient.from(this.dynamo);
  private readonly sqs = new SQSClient({});

  constructor(private readonly stack: LocalStack) {}

  /**
   * The broadcast as stored, including `fanOutPending`, which the API does not show: the broadcast
   * item (status, targeted, fan-out) and its COUNTS item (the outcome counters), in one Query.
   */
  async broadcast(id: string): Promise<BroadcastProgress | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.stack.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :broadcast AND :counts',
        ExpressionAttributeValues: { ':pk': keys.broadcastPartition(id), ':broadcast': keys.broadcast(id).sk, ':counts': keys.broadcastCounts(id).sk },
        ConsistentRead: true,
      }),
    );
    const Item = Items?.find((item) => item.sk === keys.broadcast(id).sk);
    if (!Item) return undefined;
    const counters = Items?.find((item) => item.sk === keys.broadcastCounts(id).sk) ?? Item;
    const count = (name: string) => Number((name === 'targeted' || name === 'fanOutPending' ? Item : counters)[name] ?? 0);
    return {
      status: String(Item.status),
      fanOutPending: count('fanOutPending'),
      targeted: count('targeted'),
      sent: count('sent'),
      delivered: count('delivered'),
      failed: count('failed'),
      skipped: count('skipped'),
    };
  }

  /** Every resident in a topic's index (all shards), with the channel listed first for them. */
  async topicMembers(topicId: string, shards: number): Promise<Map<string, string>> {
    const members = new Map<string, string>();
    for (let shard = 0; shard < shards; shard += 1) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({
            TableName: this.stack.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.topicShard(topicId, shard), ':prefix': 'SUB#' },
            ProjectionExpression: 'phone, channel',
            ExclusiveStartKey: cursor,
          }),
        );
        for (const item of page.Items ?? []) if (!members.has(String(item.phone))) members.set(String(item.phone), String(item.channel));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
    return members;
  }

  /** The stored outcome of each message id (status and skip reason); absent ids have no record. */
  async messageOutcomes(messageIds: string[]): Promise<Map<string, { status: string; skipReason?: string; errorCode?: string }>> {
    const outcomes = new Map<string, { status: string; skipReason?: string; errorCode?: string }>();
    for (let start = 0; start < messageIds.length; start += 100) {
      let pending: Record<string, unknown>[] = messageIds.slice(start, start + 100).map((id) => keys.message(id));
      for (let attempt = 0; pending.length > 0 && attempt < 10; attempt += 1) {
        const response = await this.documents.send(
          new BatchGetCommand({
            RequestItems: {
              [this.stack.tableName]: { Keys: pending, ProjectionExpression: 'messageId, #s, skipReason, errorCode', ExpressionAttributeNames: { '#s': 'status' } },
            },
          }),
        );
        for (const item of response.Responses?.[this.stack.tableName] ?? []) {
          outcomes.set(String(item.messageId), {
            status: String(item.status),
            ...(item.skipReason ? { skipReason: String(item.skipReason) } : {}),
            ...(item.errorCode ? { errorCode: String(item.errorCode) } : {}),
          });
        }
        pending = response.UnprocessedKeys?.[this.stack.tableName]?.Keys ?? [];
      }
    }
    return outcomes;
  }

  /** Messages waiting, in flight (received or backing off) and delayed, per queue and its DLQ. */
  async queueDepths(): Promise<Record<string, QueueDepth>> {
    const entries = await Promise.all(
      (Object.entries(this.stack.queues) as [QueueId, LocalStack['queues'][QueueId]][]).flatMap(([id, queue]) => [
        this.depth(queue.url).then((depth) => [id, depth] as const),
        this.depth(queue.deadLetterUrl).then((depth) => [`${id} DLQ`, depth] as const),
      ]),
    );
    return Object.fromEntries(entries);
  }

  /**
   * Reads every message parked in the send lanes' dead-letter queues (at the end of a run: it hides
   * them for a minute) and counts the recipients each broadcast has there.
   */
  async deadLetteredRecipients(): Promise<{ jobs: number; recipientsByBroadcast: Record<string, number>; phonesByBroadcast: Record<string, string[]> }> {
    const recipientsByBroadcast: Record<string, number> = {};
    const phonesByBroadcast: Record<string, string[]> = {};
    let jobs = 0;
    for (const queue of [this.stack.queues.sendBulk, this.stack.queues.sendUrgent]) {
      for (let round = 0; round < 1_000; round += 1) {
        const { Messages } = await this.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.deadLetterUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0 }),
        );
        if (!Messages?.length) break;
        for (const message of Messages) {
          jobs += 1;
          try {
            const job = JSON.parse(message.Body ?? '{}') as { broadcastId?: string; recipients?: { phone?: string }[] };
            const id = job.broadcastId ?? '(reply)';
            recipientsByBroadcast[id] = (recipientsByBroadcast[id] ?? 0) + (job.recipients?.length ?? 1);
            for (const recipient of job.recipients ?? []) if (recipient.phone) (phonesByBroadcast[id] ??= []).push(recipient.phone);
          } catch {
            recipientsByBroadcast['(unreadable)'] = (recipientsByBroadcast['(unreadable)'] ?? 0) + 1;
          }
        }
      }
    }
    return { jobs, recipientsByBroadcast, phonesByBroadcast };
  }

  close(): void {
    this.dynamo.destroy();
    this.sqs.destroy();
  }

  private async depth(url: string): Promise<QueueDepth> {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }
}

export interface BroadcastProgress {
  status: string;
  fanOutPending: number;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}
