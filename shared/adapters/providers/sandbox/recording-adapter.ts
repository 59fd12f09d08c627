import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { channelSchema, keyModeSchema } from '../../../domain/model.js';
import type { MessagingProvider, OutboundText, ProviderAcceptance } from '../../../ports/messaging-provider.js';
import type { SandboxQuery, SandboxRecord } from '../../../ports/sandbox-outbox.js';
import type { Page } from '../../../ports/page.js';
import { decodeSortKeyCursor, encodeSortKeyCursor } from '../../../platform/page-cursor.js';
import { keys } from '../../dynamo/keys.js';
import { pageOfQuery } from '../../dynamo/query-page.js';
import { defaultRetention } from '../../../retention/periods.js';
import { expiresAt } from '../../../retention/schedule.js';

/** A stored sandbox record, read back: the port's SandboxRecord, checked as it leaves the table. */
const sandboxRecordSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  to: z.string(),
  from: z.string().optional(),
  channel: channelSchema,
  body: z.string(),
  template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).optional(),
  createdAt: z.string(),
  broadcastId: z.string().optional(),
  department: z.string().optional(),
  mode: keyModeSchema.optional(),
}) satisfies z.ZodType<SandboxRecord>;

/**
 * The sandbox of a deployment (AWS), where there is no sandbox server: a test key's message is
 * written to the table, kept a week, and read back through `GET /v1/sandbox/messages`, so test
 * keys work in AWS as they do locally (GOV.UK Notify's test keys likewise send nothing). No
 * delivery receipt follows: a test broadcast ends `sent`, its messages `sent`.
 */
export class RecordingSandboxProvider implements MessagingProvider {
  readonly name = 'sandbox' as const;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendText(message: OutboundText): Promise<ProviderAcceptance> {
    const at = this.now().toISOString();
    const record: SandboxRecord = {
      id: `SBX${message.messageId}`,
      messageId: message.messageId,
      to: message.to,
      ...(message.from ? { from: message.from.address } : {}),
      channel: message.channel,
      body: message.body,
      ...(message.template ? { template: message.template } : {}),
      createdAt: at,
      ...(message.origin ? { broadcastId: message.origin.broadcastId, department: message.origin.department, mode: message.origin.mode } : {}),
    };
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.sandboxMessage(at, message.messageId), type: 'sandboxMessage', ...record, expiresAt: expiresAt({ kind: 'sandboxMessage', at }, defaultRetention) },
      }),
    );
    return { provider: 'sandbox', providerMessageId: record.id };
  }
}

/**
 * What the deployed sandbox recorded on one (UTC) day, newest first, a page at a time. The
 * department and mode are a filter on the day's partition: a page may hold fewer than `limit`
 * records and still have a cursor to the rest.
 */
export async function listSandboxMessages(documents: DynamoDBDocumentClient, tableName: string, query: SandboxQuery): Promise<Page<SandboxRecord>> {
  const after = query.cursor === undefined ? undefined : decodeSortKeyCursor(query.cursor, /^\d{4}-\d\d-\d\dT[^#]+#.+$/);
  const filters = [
    ...(query.department === undefined ? [] : ['department = :department']),
    ...(query.mode === undefined ? [] : ['#mode = :mode']),
  ];
  const response = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :after',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(query.mode === undefined ? {} : { ExpressionAttributeNames: { '#mode': 'mode' } }),
      ExpressionAttributeValues: {
        ':pk': keys.sandboxPartition(query.day),
        ...(after === undefined ? {} : { ':after': after }),
        ...(query.department === undefined ? {} : { ':department': query.department }),
        ...(query.mode === undefined ? {} : { ':mode': query.mode }),
      },
      ScanIndexForward: false,
      // One more than the page, so a page that holds exactly what is left gives no cursor.
      Limit: query.limit + 1,
    }),
  );
  // A page the filter shortened or emptied leads on from the last key read, not the last kept.
  const { items, resumeAfter } = pageOfQuery(response.Items ?? [], response.LastEvaluatedKey, query.limit);
  return { items: items.map((item) => sandboxRecordSchema.parse(item)), cursor: resumeAfter ? encodeSortKeyCursor(String(resumeAfter.sk)) : undefined };
}
