import { describe, expect, it } from 'vitest';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import { replies } from '../../shared/domain/replies.js';
import { handleInboundText } from '../../shared/usecases/handle-inbound.js';
import type { InboundDependencies } from '../../shared/usecases/dependencies.js';
import { aPhone, aTopic, anInboundText, inboundEvidence } from '../support/builders.js';
import { FixedClock, RecordingQueue, SequentialIds, inMemoryStores } from '../support/in-memory-stores.js';

const alice = aPhone(101);

async function setUp() {
  const stores = inMemoryStores();
  await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC', 'JAMS'] }));
  await stores.topics.create(aTopic({ id: 'youth', name: 'Youth news', keywords: ['YOUTH'], department: 'youth' }));
  const replyQueue = new RecordingQueue<ReplySendJob>();
  const clock = new FixedClock();
  const deps: InboundDependencies = { stores, clock, ids: new SequentialIds(), replies: replyQueue };
  return { deps, stores, replyQueue, clock };
}

describe('handleInboundText: subscribing', () => {
  it('subscribes a resident who texts JOIN and a keyword, records the consent and queues a confirmation', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'join traffic' });

    // Act
    const outcome = await handleInboundText(deps, inbound);

    // Assess
    const replyMessageId = `reply-sandbox-${inbound.providerMessageId}`;
    expect(outcome).toEqual({ kind: 'handled', intent: 'subscribe', replyMessageId });
    expect(await stores.subscribers.subscriptions(alice)).toEqual([
      { phone: alice, channel: 'sms', topicId: 'traffic', since: '2025-03-01T09:00:00.000Z' },
    ]);
    expect(await stores.subscribers.consentHistory(alice)).toEqual([
      {
        at: '2025-03-01T09:00:00.000Z',
        action: 'opt_in',
        channel: 'sms',
        topicId: 'traffic',
        evidence: { kind: 'inbound', provider: 'sandbox', providerMessageId: inbound.providerMessageId, text: 'join traffic' },
      },
    ]);
    expect(replyQueue.sent).toEqual([
      { kind: 'reply', messageId: replyMessageId, to: alice, channel: 'sms', body: replies.subscribed('Traffic alerts'), purpose: 'confirmation' },
    ]);
    expect(stores.inbound.entries.get(`sandbox#${inbound.providerMessageId}`)).toMatchObject({ state: 'done', replyMessageId });
  });

  it('subscribes on a topic’s second keyword texted alone', async () => {
    // Prepare
    const { deps, stores } = await setUp();

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ from: alice, body: 'Jams!' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'subscribe' });
    expect((await stores.subscribers.subscriptions(alice)).map((s) => s.topicId)).toEqual(['traffic']);
  });

  it('tells a resident who is already subscribed so, and records no second consent', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN TRAFFIC' }));

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'TRAFFIC' }));

    // Assess
    expect(replyQueue.sent.map((job) => job.body)).toEqual([
      replies.subscribed('Traffic alerts'),
      replies.alreadySubscribed('Traffic alerts'),
    ]);
    expect(await stores.subscribers.consentHistory(alice)).toHaveLength(1);
    expect(await stores.topics.subscriberCount('traffic')).toBe(1);
  });

  it('answers an explicit JOIN of an unknown topic with the topics there are', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN YOOTH' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'subscribe' });
    expect(replyQueue.sent).toHaveLength(1);
    expect(replyQueue.sent[0]).toMatchObject({ body: replies.unknownTopic('YOOTH', ['TRAFFIC', 'YOUTH']), purpose: 'answer' });
    expect(await stores.subscribers.getProfile(alice)).toBeUndefined();
  });

  it('answers a bare unknown word as not understood, not as an unknown topic', async () => {
    // Prepare
    const { deps, replyQueue } = await setUp();

    // Act
    await handleInboundText(deps, anInboundText({ from: alice, body: 'hello' }));

    // Assess
    expect(replyQueue.sent[0]).toMatchObject({ body: replies.notUnderstood(), purpose: 'answer' });
  });

  it('answers HELP with the first keyword of every topic', async () => {
    // Prepare
    const { deps, replyQueue } = await setUp();

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ from: alice, body: 'help' }));

    // Assess
    expect(outcome).toMatchObject({ intent: 'help' });
    expect(replyQueue.sent[0]).toMatchObject({ body: replies.help(['TRAFFIC', 'YOUTH']), purpose: 'help' });
  });
});

describe('handleInboundText: opting out and back in', () => {
  it('opts a resident out on STOP, removes their subscriptions and confirms once', async () => {
    // Prepare
    const { deps, stores, replyQueue, clock } = await setUp();
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN TRAFFIC' }));
    clock.advance(60_000);
    const stop = anInboundText({ from: alice, body: 'STOP' });

    // Act
    const outcome = await handleInboundText(deps, stop);

    // Assess
    expect(outcome).toEqual({ kind: 'handled', intent: 'optOut', replyMessageId: `reply-sandbox-${stop.providerMessageId}` });
    expect((await stores.subscribers.getProfile(alice))?.optedOut).toEqual({ sms: '2025-03-01T09:01:00.000Z' });
    expect(await stores.subscribers.subscriptions(alice)).toEqual([]);
    expect(replyQueue.sent.at(-1)).toMatchObject({ body: replies.optedOut(), purpose: 'optOutConfirmation' });
    expect((await stores.subscribers.consentHistory(alice)).map((event) => event.action)).toEqual(['opt_in', 'opt_out']);
  });

  it('answers a second STOP from someone already opted out with silence, and records nothing new', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await handleInboundText(deps, anInboundText({ from: alice, body: 'STOP' }));
    const before = await stores.subscribers.consentHistory(alice);

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ from: alice, body: 'stop' }));

    // Assess
    expect(outcome).toEqual({ kind: 'handled', intent: 'optOut', replyMessageId: undefined });
    expect(replyQueue.sent.filter((job) => job.purpose === 'optOutConfirmation')).toHaveLength(1);
    expect(await stores.subscribers.consentHistory(alice)).toEqual(before);
  });

  it('records an opt-out Twilio Advanced Opt-Out already answered, without a second confirmation', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await handleInboundText(deps, anInboundText({ from: alice, body: 'JOIN TRAFFIC' }));
    const stop = anInboundText({ provider: 'twilio', from: alice, body: 'Stop', providerHandledOptOut: 'STOP' });

    // Act
    const outcome = await handleInboundText(deps, stop);

    // Assess
    expect(outcome).toEqual({ kind: 'handled', intent: 'optOut', replyMessageId: undefined });
    expect(replyQueue.sent).toHaveLength(1); // only the JOIN's confirmation
    expect((await stores.subscribers.getProfile(alice))?.optedOut.sms).toBeDefined();
    expect((await stores.subscribers.consentHistory(alice)).at(-1)).toMatchObject({
      action: 'opt_out',
      evidence: { kind: 'inbound', provider: 'twilio', providerMessageId: stop.providerMessageId, text: 'Stop' },
    });
  });

  it('follows the provider’s reading of an opt-out word over the router (a plain-language STOP)', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const stop = anInboundText({ provider: 'twilio', from: alice, body: 'please stop', providerHandledOptOut: 'STOP' });

    // Act
    const outcome = await handleInboundText(deps, stop);

    // Assess
    expect(outcome).toMatchObject({ intent: 'optOut' });
    expect((await stores.subscribers.getProfile(alice))?.optedOut.sms).toBeDefined();
  });

  it('restores the topics held at STOP on START and names them in the reply', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await handleInboundText(deps, anInboundText({ from: alice, body: 'TRAFFIC' }));
    await handleInboundText(deps, anInboundText({ from: alice, body: 'YOUTH' }));
    await handleInboundText(deps, anInboundText({ from: alice, body: 'STOP' }));

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ from: alice, body: 'START' }));

    // Assess
    expect(outcome).toMatchObject({ intent: 'optIn' });
    expect((await stores.subscribers.subscriptions(alice)).map((s) => s.topicId).sort()).toEqual(['traffic', 'youth']);
    expect((await stores.subscribers.getProfile(alice))?.optedOut).toEqual({});
    expect(replyQueue.sent.at(-1)).toMatchObject({ body: replies.restored(['Traffic alerts', 'Youth news']), purpose: 'confirmation' });
  });

  it('records a START Twilio already answered, without a reply of our own', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    await stores.subscribers.subscribe(alice, 'sms', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence());
    await stores.subscribers.optOut(alice, 'sms', '2025-03-01T08:30:00.000Z', inboundEvidence({ text: 'STOP' }));

    // Act
    const outcome = await handleInboundText(deps, anInboundText({ provider: 'twilio', from: alice, body: 'START', providerHandledOptOut: 'START' }));

    // Assess
    expect(outcome).toEqual({ kind: 'handled', intent: 'optIn', replyMessageId: undefined });
    expect(replyQueue.sent).toEqual([]);
    expect((await stores.subscribers.subscriptions(alice)).map((s) => s.topicId)).toEqual(['traffic']);
  });
});

describe('handleInboundText: provider retries', () => {
  it('does nothing for a webhook it has already handled', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'JOIN TRAFFIC' });
    await handleInboundText(deps, inbound);
    const retry = structuredClone(inbound);

    // Act
    const outcome = await handleInboundText(deps, retry);

    // Assess
    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(replyQueue.sent).toHaveLength(1);
    expect(await stores.subscribers.consentHistory(alice)).toHaveLength(1);
  });

  it('does nothing for a retry that arrives while the first delivery is still being handled', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'STOP' });
    await stores.inbound.begin(inbound.provider, inbound.providerMessageId, { from: alice, channel: 'sms', body: 'STOP', at: '2025-03-01T09:00:00.000Z' });

    // Act
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess
    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(replyQueue.sent).toEqual([]);
    expect(await stores.subscribers.getProfile(alice)).toBeUndefined();
  });

  it('leaves the message unfinished when the reply cannot be queued, so the provider’s retry is handled', async () => {
    // Prepare
    const { deps, stores, replyQueue, clock } = await setUp();
    const inbound = anInboundText({ from: alice, body: 'JOIN TRAFFIC' });
    replyQueue.failNextSend(new Error('SQS is down'));
    await expect(handleInboundText(deps, inbound)).rejects.toThrow('SQS is down');
    clock.advance(61_000);

    // Act
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'subscribe' });
    expect(replyQueue.sent).toHaveLength(1);
    expect(replyQueue.sent[0]?.body).toContain('subscribed to Traffic alerts');
    expect(await stores.topics.subscriberCount('traffic')).toBe(1);
  });
});
