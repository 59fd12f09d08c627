import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * AWS End User Messaging SMS's inbound path on the local stack. There is no SNS locally: the test
 * plays the topic, putting on the notifications queue exactly what an SNS → SQS subscription
 * without raw message delivery puts there (the SNS envelope), and the catalog's poller runs the
 * same handler Lambda runs in AWS.
 */
describe('AWS SMS notifications on the local stack', () => {
  const authToken = 'e2e-aws-sms-token';
  const alice = '+447700900201';
  const bob = '+447700900202';
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    const created = await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** What SNS delivers to a subscribed queue for one two-way SMS. */
  function twoWaySms(from: string, text: string, inboundMessageId: string, topicArn = stack.awsSmsTopicArn): string {
    return JSON.stringify({
      Type: 'Notification',
      MessageId: `sns-${inboundMessageId}`,
      TopicArn: topicArn,
      Message: JSON.stringify({
        originationNumber: from,
        destinationNumber: '+447700900000',
        messageKeyword: 'KEYWORD_000000000000',
        messageBody: text,
        inboundMessageId,
      }),
      Timestamp: new Date().toISOString(),
    });
  }

  async function publish(...bodies: string[]): Promise<void> {
    await awsClients().sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.awsSmsNotifications.url,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  }

  async function deadLetters(): Promise<number> {
    const { Messages } = await awsClients().sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.awsSmsNotifications.deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    return Messages?.length ?? 0;
  }

  it('subscribes a resident who texts JOIN TRAFFIC and queues the confirmation, once, though SNS delivers it twice', async () => {
    // Prepare
    const notification = twoWaySms(alice, 'JOIN TRAFFIC', 'aws-inbound-0001');

    // Act
    await publish(notification, notification);
    await stack.settled();

    // Assess
    const profile = await client.api('GET', `/v1/subscribers/${encodeURIComponent(alice)}`);
    expect(profile.status).toBe(200);
    expect(profile.json.subscriptions).toEqual([expect.objectContaining({ topicId: 'traffic', channel: 'sms' })]);
    expect(profile.json.consentHistory).toEqual([
      expect.objectContaining({ action: 'opt_in', evidence: expect.objectContaining({ provider: 'aws-sms', providerMessageId: 'aws-inbound-0001' }) }),
    ]);
    const replies = await client.outbox(alice);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("You're subscribed to Traffic alerts");
  });

  it('drops a notification from a topic that is not the deployment’s, and a malformed one, without retrying them into the DLQ', async () => {
    // Prepare
    const foreign = twoWaySms(bob, 'JOIN TRAFFIC', 'aws-inbound-0002', 'arn:aws:sns:eu-west-2:999999999999:someone-else');
    const malformed = JSON.stringify({ Type: 'Notification', MessageId: 'sns-bad', TopicArn: stack.awsSmsTopicArn, Message: '{"messageBody":"JOIN TRAFFIC"}' });

    // Act
    await publish(foreign, malformed, 'not json at all');
    await stack.settled();

    // Assess
    expect((await client.api('GET', `/v1/subscribers/${encodeURIComponent(bob)}`)).status).toBe(404);
    expect(await client.outbox(bob)).toEqual([]);
    expect(await deadLetters()).toBe(0);
  });
});
