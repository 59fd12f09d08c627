import { describe, expect, it, vi } from 'vitest';
import { handleInboundText } from '../../shared/usecases/handle-inbound.js';
import { aPhone, aTopic, anInboundSettings, anInboundText, inboundEvidence } from '../support/builders.js';
import { inMemoryInboundDependencies } from '../support/in-memory-stores.js';

const alice = aPhone(901);

describe('invariants review: STOP on a retried webhook', () => {
  it('acts on a STOP when the provider retries at once after the first attempt failed part-way', async () => {
    // Prepare: the first attempt fails after claiming the message (DynamoDB throttled, say); the
    // handler answers 500 and Meta (or Twilio) sends the same message again a few seconds later.
    const { deps, stores, replyQueue } = inMemoryInboundDependencies(anInboundSettings());
    await stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] }));
    await stores.subscribers.subscribe(alice, 'whatsapp', 'traffic', '2025-03-01T08:00:00.000Z', inboundEvidence({ text: 'JOIN TRAFFIC' }));
    const inbound = anInboundText({ from: alice, channel: 'whatsapp', body: 'STOP' });
    vi.spyOn(stores.subscribers, 'optOut').mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'));
    await expect(handleInboundText(deps, inbound)).rejects.toThrow('ProvisionedThroughputExceededException');

    // Act: the retry, with no time passing to speak of
    const outcome = await handleInboundText(deps, structuredClone(inbound));

    // Assess: the STOP is honoured and confirmed, not swallowed as a "duplicate" with a 200
    expect(outcome).toMatchObject({ kind: 'handled', intent: 'optOut' });
    expect((await stores.subscribers.getProfile(alice))?.optedOut.whatsapp).toBeDefined();
    expect(await stores.subscribers.subscriptions(alice)).toEqual([]);
    expect(replyQueue.sent.map((job) => job.purpose)).toEqual(['optOutConfirmation']);
  });
});
