import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { LocalStackClient } from '../support/local-stack-client.js';

// npm start and the bench run the sending functions on a thread of their own, and their sends
// reach the sandbox through its edge on another: the stack's thread still starts, pauses, counts
// and waits for their consumers as it does for its own.
describe('the senders on a thread of their own, sending through the sandbox’s edge', () => {
  const authToken = 'senders-thread-token';
  const resident = '+447700900301';
  let stack: LocalStack;
  let client: LocalStackClient;
  let stopped = false;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, sendersInThread: true, sandboxEdgeInThread: true, twilio: { authToken }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] })).status).toBe(201);
  });
  afterAll(async () => {
    if (!stopped) await stack?.stop();
  });

  it("sends a resident's reply from that thread through the edge, and settled() waits for it", async () => {
    // Prepare
    const edgeBefore = stack.sandboxEdgeEventLoop();

    // Act
    const replies = await client.textAndCollect(resident, 'JOIN TRAFFIC');

    // Assess
    expect(process.env.SANDBOX_URL).not.toBe(`${stack.baseUrl}/sandbox`);
    expect(stack.sandboxEdgeEventLoop()!.active).toBeGreaterThan(edgeBefore!.active);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/traffic/i);
    expect(stack.consumerStats('sendUrgent').records).toBeGreaterThanOrEqual(1);
  });

  it('holds a lane while its consumer is paused and sends once it is resumed', async () => {
    // Prepare
    await stack.pauseConsumer('sendUrgent');

    // Act
    const created = await client.api('POST', '/v1/broadcasts', { topics: ['traffic'], body: 'Lane 2 of the M4 is closed at junction 33.', priority: 'urgent' });
    await expect.poll(async () => (await client.api('GET', `/v1/broadcasts/${created.json.id}`)).json.counts.targeted, { timeout: 10_000 }).toBe(1);
    const whilePaused = await client.outbox(resident);
    stack.resumeConsumer('sendUrgent');
    await stack.settled();

    // Assess
    expect(created.status).toBe(201);
    const isTheBroadcast = (message: { body: string }) => message.body.startsWith('Lane 2 of the M4 is closed at junction 33.');
    expect(whilePaused.filter(isTheBroadcast)).toEqual([]);
    expect((await client.outbox(resident)).filter(isTheBroadcast)).toHaveLength(1);
  });

  it("reports the thread's event loop, and refuses to crash a send it cannot reach", () => {
    // Prepare / Act
    const loop = stack.sendersEventLoop();

    // Assess
    expect(loop?.active).toBeGreaterThan(0);
    expect(loop?.idle).toBeGreaterThan(0);
    expect(() => stack.crashOnSandboxSend(1)).toThrow(/senders on the stack's thread/);
  });

  it('once the stack has stopped, a consumer on the ended thread stops at once', async () => {
    // Prepare
    await stack.stop();
    stopped = true;

    // Act
    const pausing = stack.pauseConsumer('sendUrgent');

    // Assess
    await expect(pausing).resolves.toBeUndefined();
  });
});
