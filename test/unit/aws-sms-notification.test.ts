import { describe, expect, it } from 'vitest';
import eventDelivered from '../../events/aws-sms/event-delivered.json';
import inboundJoin from '../../events/aws-sms/inbound-join.json';
import { parseAwsSmsNotification } from '../../shared/adapters/providers/aws-sms/inbound.js';
import { handleAwsSmsNotification } from '../../shared/usecases/aws-sms-notification.js';
import { AT, aMessageRecord, aTopic } from '../support/builders.js';
import { inMemoryInboundDependencies } from '../support/in-memory-stores.js';

const RESIDENT = '+447700900123';
const MESSAGE_ID = 'bc-0001-447700900123';

async function setUp() {
  const world = inMemoryInboundDependencies();
  await world.stores.topics.create(aTopic({ id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'] }));
  await world.stores.messages.claim(aMessageRecord({ messageId: MESSAGE_ID, broadcastId: undefined, to: RESIDENT, status: 'sent' }));
  return world;
}

const parse = (notification: unknown) => parseAwsSmsNotification(notification, { defaultCountry: 'GB' });

describe('handleAwsSmsNotification', () => {
  it('routes a resident\'s two-way SMS like any text: subscribed, with the AWS inbound id as consent evidence, and answered', async () => {
    // Prepare
    const { deps, stores, replyQueue } = await setUp();
    const notification = parse(structuredClone(inboundJoin));

    // Act
    const outcome = await handleAwsSmsNotification(deps, notification);

    // Assess
    expect(outcome).toMatchObject({ kind: 'inbound', outcome: { kind: 'handled', intent: 'subscribe' } });
    expect(await stores.subscribers.subscriptions(RESIDENT)).toEqual([{ phone: RESIDENT, channel: 'sms', topicId: 'traffic', since: AT }]);
    expect(await stores.subscribers.consentHistory(RESIDENT)).toEqual([
      expect.objectContaining({
        action: 'opt_in',
        evidence: { kind: 'inbound', provider: 'aws-sms', providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84', text: 'JOIN TRAFFIC' },
      }),
    ]);
    expect(replyQueue.sent).toEqual([expect.objectContaining({ to: RESIDENT, channel: 'sms' })]);
  });

  it('does nothing twice when SNS delivers the same text again', async () => {
    // Prepare
    const { deps, replyQueue } = await setUp();
    await handleAwsSmsNotification(deps, parse(structuredClone(inboundJoin)));

    // Act
    const outcome = await handleAwsSmsNotification(deps, parse(structuredClone(inboundJoin)));

    // Assess
    expect(outcome).toEqual({ kind: 'inbound', outcome: { kind: 'duplicate' } });
    expect(replyQueue.sent).toHaveLength(1);
  });

  it('applies a delivery event to the message named in its context', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const notification = parse(structuredClone(eventDelivered));

    // Act
    const outcome = await handleAwsSmsNotification(deps, notification);

    // Assess
    expect(outcome).toEqual({ kind: 'receipt', outcome: 'applied' });
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'delivered' });
  });

  it('skips what carries nothing to act on, touching nothing', async () => {
    // Prepare
    const { deps, stores } = await setUp();
    const notification = parse({ ...structuredClone(eventDelivered), Type: 'SubscriptionConfirmation' });

    // Act
    const outcome = await handleAwsSmsNotification(deps, notification);

    // Assess
    expect(outcome).toEqual({ kind: 'skipped' });
    expect(await stores.messages.get(MESSAGE_ID)).toMatchObject({ status: 'sent' });
  });
});
