import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The scheduler as the local stack runs it: the catalog's `schedule` trigger on a timer (faster
 * than its minute here), the same scheduler function as in AWS, starting a broadcast when its
 * time comes.
 */
describe('a scheduled broadcast on the local stack', () => {
  const authToken = 'e2e-scheduler-token';
  const resident = '+447700900181';
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, schedulerIntervalMs: 250 });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'roadworks', name: 'Roadworks', keywords: ['ROADWORKS'] })).status).toBe(201);
    await client.text(resident, 'JOIN ROADWORKS');
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('waits until its time, then the scheduler starts it and it reaches the resident', async () => {
    // Prepare
    await client.api('DELETE', '/sandbox/messages');
    const sendAt = new Date(Date.now() + 2_000).toISOString();

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['roadworks'], body: 'Lane closures on Newport Road from 8pm.', priority: 'urgent', sendAt });
    const before = await client.outbox(resident);
    await expect.poll(async () => (await client.api('GET', `/v1/broadcasts/${created.json.id}`)).json.status, { timeout: 15_000, interval: 250 }).toBe('sent');
    await stack.settled();
    const after = await client.outbox(resident);

    // Assess
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('scheduled');
    expect(before).toEqual([]);
    expect(after.map((message) => message.body)).toEqual([expect.stringContaining('Lane closures on Newport Road from 8pm.')]);
  });
});
