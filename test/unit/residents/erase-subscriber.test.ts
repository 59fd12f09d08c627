import { describe, expect, it } from 'vitest';
import { ERASED } from '../../../shared/domain/erasure.js';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { roleSchema } from '../../../shared/domain/model.js';
import { handleInboundText } from '../../../shared/consent/handle-inbound.js';
import { broadcastMessageId } from '../../../shared/sending/send.js';
import { eraseSubscriber } from '../../../shared/residents/subscribers.js';
import { aBroadcast, aMessageRecord, anInboundText, aPhone, aPrincipal, aTopic } from '../../support/builders.js';
import { inMemoryInboundDependencies } from '../../support/in-memory-stores.js';
import { replyToResident } from '../../../shared/inbox/reply-to-resident.js';

const operator = aPrincipal({ keyId: 'key-operator', role: 'operator', department: 'it' });

async function residentWhoTextedAndGotABroadcast() {
  const { deps, stores, replyQueue } = inMemoryInboundDependencies();
  const phone = aPhone(401);
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'] }));
  await handleInboundText(deps, anInboundText({ from: phone, body: 'JOIN TRAFFIC' }));
  await handleInboundText(deps, anInboundText({ from: phone, body: 'The lights on Cowbridge Road are stuck' }));
  await stores.broadcasts.create(aBroadcast({ id: 'b1', topics: ['traffic'] }));
  await stores.messages.claim(aMessageRecord({ messageId: broadcastMessageId('b1', phone), broadcastId: 'b1', to: phone }));
  // As the sender records them: each reply, and the broadcast's message.
  for (const job of replyQueue.sent) await stores.messages.claim(aMessageRecord({ messageId: job.messageId, broadcastId: undefined, to: phone }));
  return { deps, stores, phone, replyQueue };
}

describe('eraseSubscriber', () => {
  it('takes the number and texts out of the inbound log, the inbox and the messages', async () => {
    // Prepare
    const { deps, stores, phone } = await residentWhoTextedAndGotABroadcast();

    // Act
    await eraseSubscriber(deps, operator, phone);

    // Assess
    expect(JSON.stringify([...stores.inbound.entries.values()])).not.toContain(phone);
    expect(JSON.stringify([...stores.inbound.entries.values()])).not.toContain('Cowbridge');
    expect(stores.inbox.entries).toEqual([expect.objectContaining({ from: ERASED, body: ERASED })]);
    expect(stores.messages.messages.has(broadcastMessageId('b1', phone))).toBe(false);
    expect(JSON.stringify([...stores.messages.messages.values()])).not.toContain(phone);
    expect([...stores.messages.messages.values()].map((message) => message.to)).toEqual([ERASED, ERASED]);
    expect(await stores.subscribers.getProfile(phone)).toBeUndefined();
    expect(await stores.subscribers.erasedAmong([phone])).toEqual(new Set([phone]));
  });

  it('takes the number and the words out of the replies staff sent from the inbox', async () => {
    // Prepare
    const { deps, stores, phone, replyQueue } = await residentWhoTextedAndGotABroadcast();
    const sender = aPrincipal({ keyId: 'staff-1', role: 'sender', department: stores.inbox.entries[0]!.department });
    await replyToResident(deps, sender, stores.inbox.entries[0]!.id, 'Thanks, Cowbridge Road is fixed');
    const reply = replyQueue.sent.at(-1)!;
    await stores.messages.claim(aMessageRecord({ messageId: reply.messageId, broadcastId: undefined, to: phone }));

    // Act
    await eraseSubscriber(deps, operator, phone);

    // Assess
    expect(stores.messages.messages.get(reply.messageId)?.to).toBe(ERASED);
    expect(JSON.stringify(stores.inbox.entries)).not.toContain('Cowbridge');
  });

  it('answers 404 for a number it holds nothing of', async () => {
    // Prepare
    const { deps } = inMemoryInboundDependencies();

    // Act
    const outcome = eraseSubscriber(deps, operator, aPhone(499));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(roleSchema.options.filter((role) => role !== 'operator'))('is refused to a %s key', async (role) => {
    // Prepare
    const { deps, stores, phone } = await residentWhoTextedAndGotABroadcast();

    // Act
    const outcome = eraseSubscriber(deps, aPrincipal({ role }), phone);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stores.subscribers.getProfile(phone)).toBeDefined();
  });
});
