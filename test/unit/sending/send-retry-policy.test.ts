import { afterEach, describe, expect, it, vi } from 'vitest';
import { functionDefinition, sendRetryPolicy } from '../../../functions/catalog.js';
import { ProviderError } from '../../../shared/domain/errors.js';
import type { BackoffRetryPolicy } from '../../../shared/domain/retry-policy.js';
import type { OutboundText } from '../../../shared/ports/messaging-provider.js';
import { broadcastMessageId, sendBroadcastBatch } from '../../../shared/sending/send.js';
import { aBroadcast, aBroadcastSendJob, aPhone, inboundEvidence } from '../../support/builders.js';
import { FixedClock, ScriptedProvider, inMemoryStores } from '../../support/in-memory-stores.js';
import { senderDependencies, sendingForTests } from '../../support/in-memory-pacing.js';

/**
 * A send queue's retry policy is declared once, on the catalog's queue trigger, and the sender
 * applies the policy it is given: its attempts and its backoff, not constants of its own.
 */

const alice = aPhone(101);
const bob = aPhone(102);
const BROADCAST_ID = '01jbroadcast0000000000000a';
const AT = new FixedClock().now().toISOString();

/** Unlike the senders' own: three attempts, and a wait of ten minutes from the first. */
const policy: BackoffRetryPolicy = { attempts: 3, backoff: { baseSeconds: 600, capSeconds: 600 }, deadLetterAfterReceives: 3 };

async function setUp(retry: BackoffRetryPolicy) {
  const stores = inMemoryStores();
  await stores.broadcasts.create(aBroadcast({ id: BROADCAST_ID, body: 'Queues on the A470.' }));
  for (const phone of [alice, bob]) await stores.subscribers.subscribe(phone, 'sms', 'traffic', AT, inboundEvidence());
  const provider = new ScriptedProvider();
  // Bob's provider is down: a retryable failure.
  provider.answer = (message: OutboundText) => (message.to === bob ? new ProviderError('sandbox', 'connectionFailed', 'bad gateway', { providerCode: 502 }) : provider.accept());
  const sending = sendingForTests(new FixedClock());
  const deps = { ...senderDependencies(stores, new FixedClock(), provider, sending), retry };
  return { deps, stores, lanes: sending.lanes };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the send queues' retry policy", () => {
  it.each(['sendUrgent', 'sendBulk'] as const)('%s is declared on its catalog trigger: the one the sender is given', (functionId) => {
    // Prepare
    const { trigger } = functionDefinition(functionId);

    // Act
    const retry = trigger.kind === 'queue' ? trigger.retry : undefined;

    // Assess
    expect(retry).toBe(sendRetryPolicy);
  });

  it("hands the rest back after the policy's backoff, an attempt more", async () => {
    // Prepare
    const { deps, lanes } = await setUp(policy);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'sms' }], attempt: 1 }));

    // Assess
    expect(lanes.urgent.sent).toMatchObject([{ recipients: [{ phone: bob }], attempt: 2 }]);
    // Half (the jitter's draw) of the policy's ten minutes.
    expect(lanes.urgent.delays).toEqual([300]);
  });

  it("records the failure as final at the policy's last attempt", async () => {
    // Prepare
    const { deps, stores, lanes } = await setUp(policy);

    // Act
    await sendBroadcastBatch(deps, aBroadcastSendJob({ broadcastId: BROADCAST_ID, recipients: [{ phone: alice, channel: 'sms' }, { phone: bob, channel: 'sms' }], attempt: 2 }));

    // Assess
    expect(await stores.messages.get(broadcastMessageId(BROADCAST_ID, bob))).toMatchObject({ status: 'failed', errorCode: 'retries_exhausted:502' });
    expect(lanes.urgent.sent).toEqual([]);
  });
});
