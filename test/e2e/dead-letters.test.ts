import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { LocalStackClient } from '../support/local-stack-client.js';
import { crier, isolatedEnv } from './cli-run.js';

/**
 * Dead letters on the local stack, through the real `crier` CLI: a send job that gave up lies in
 * the urgent lane's dead-letter queue (put there directly, as SQS would after its eight receives),
 * is listed without the resident's number, redriven, and delivered through the sandbox.
 */
describe('crier dead-letters against the local stack', () => {
  const authToken = 'cli-dead-letters-twilio-token';
  const alice = '+447700900501';
  const latecomer = '+447700900502';
  const body = 'A470 closed northbound at Coryton after a collision.';
  let stack: LocalStack;
  let client: LocalStackClient;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let broadcastId: string;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    home = mkdtempSync(join(tmpdir(), 'crier-cli-dead-letters-'));
    env = isolatedEnv(home, { CRIER_URL: stack.baseUrl, CRIER_API_KEY: stack.operatorKey });
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
    await client.textAndCollect(alice, 'JOIN TRAFFIC');
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body, priority: 'urgent' });
    expect(created.status).toBe(201);
    broadcastId = created.json.id;
    await stack.settled();
    // Subscribed after the broadcast went out: the one its dead-lettered batch was meant for.
    await client.textAndCollect(latecomer, 'JOIN TRAFFIC');
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('says so when no queue has any dead letters', async () => {
    // Prepare
    const list = ['dead-letters', 'list'];

    // Act
    const listed = await crier(list, env);

    // Assess
    expect(listed).toMatchObject({ code: 0, stdout: 'no dead letters in any queue\n', stderr: '' });
  });

  it('lists a dead-lettered send job without the resident’s number, redrives it, and the resident gets the broadcast', async () => {
    // Prepare
    const job = { kind: 'broadcast', broadcastId, topicId: 'traffic', recipients: [{ phone: latecomer, channel: 'sms' }] };
    await awsClients().sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.sendUrgent.deadLetterUrl, MessageBody: JSON.stringify(job) }));

    // Act
    const listed = await crier(['dead-letters', 'list'], env);
    const redriven = await crier(['dead-letters', 'redrive', 'sendUrgent'], env);
    await stack.settled();
    const listedAfter = await crier(['--json', 'dead-letters', 'list'], env);

    // Assess
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/^sendUrgent: 1 dead letter$/m);
    expect(listed.stdout).toMatch(new RegExp(`^ {2}\\S+\\s+\\d{4}-\\S+Z\\s+\\d+\\s+broadcast ${broadcastId} to 1 recipient of traffic$`, 'm'));
    expect(listed.stdout).toMatch(/^fanOut: none$/m);
    expect(listed.stdout).not.toContain('7700900502');
    expect(redriven).toMatchObject({ code: 0, stdout: 'moved 1 dead letter back onto sendUrgent; none left\n', stderr: '' });
    expect((await client.outbox(latecomer)).map((message) => message.body)).toEqual([
      expect.stringContaining("You're subscribed to Traffic alerts"),
      expect.stringContaining(body),
    ]);
    expect(JSON.parse(listedAfter.stdout).queues.map((queue: { approximateCount: number }) => queue.approximateCount)).toEqual([0, 0, 0, 0]);
    const audit = await client.api('GET', '/v1/audit');
    expect(audit.json.entries.map((entry: { action: string; target: unknown }) => [entry.action, entry.target])).toEqual(
      expect.arrayContaining([
        ['deadLetters.redrive', { type: 'queue', id: 'sendUrgent' }],
        ['deadLetters.inspect', { type: 'queue', id: '*' }],
      ]),
    );
  });

  it('refuses a queue that is not one of crier’s, naming the field, and exits 1', async () => {
    // Prepare
    const redrive = ['dead-letters', 'redrive', 'send-urgent'];

    // Act
    const result = await crier(redrive, env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'error: the queue is invalid',
      '  queue: must be one of the queues: fanOut, sendUrgent, sendBulk, awsSmsNotifications',
      '',
    ]);
  });

  it('refuses a test key, even an operator’s: the dead letters are live jobs', async () => {
    // Prepare
    const key = await client.api('POST', '/v1/keys', { name: 'Test operator', role: 'operator', department: '*', mode: 'test' });

    // Act
    const listed = await client.api('GET', '/v1/dead-letters', undefined, key.json.key);

    // Assess
    expect(listed.status).toBe(403);
    expect(listed.json.error).toMatch(/a test key may not see or redrive dead letters/);
  });
});
