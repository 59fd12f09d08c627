import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors.js';
import { messagesToResident } from '../../../shared/residents/messages-to-resident.js';
import { broadcastMessageId } from '../../../shared/sending/send-message.js';
import { aPhone, aPrincipal, aTopic } from '../../support/builders.js';
import { FixedClock, SequentialIds, inMemoryStores } from '../../support/in-memory-stores.js';
import { residentWithMessages } from '../../support/resident-messages.js';

const operator = aPrincipal({ keyId: 'key-operator', role: 'operator', department: 'it' });

async function setUp() {
  const stores = inMemoryStores();
  await stores.topics.create(aTopic({ id: 'traffic', keywords: ['TRAFFIC'], department: 'traffic' }));
  return { stores, deps: { stores, clock: new FixedClock('2025-03-04T10:00:00.000Z'), ids: new SequentialIds('audit') } };
}

describe('messagesToResident', () => {
  it("lists the broadcasts, automatic replies and staff's replies sent to them, newest first, and never another resident's", async () => {
    // Prepare
    const { stores, deps } = await setUp();
    const { broadcast, entry } = await residentWithMessages(stores);

    // Act
    const { messages, conversations } = await messagesToResident(deps, operator, aPhone(1));

    // Assess
    expect(messages.map(({ messageId, kind, topicId, status, body }) => ({ messageId, kind, topicId, status, body }))).toEqual([
      { messageId: 'inbox-reply-1', kind: 'inboxReply', topicId: undefined, status: 'sent', body: 'Yes, it reopened at 9.' },
      { messageId: broadcastMessageId(broadcast.id, aPhone(1)), kind: 'broadcast', topicId: 'traffic', status: 'delivered', body: undefined },
      { messageId: 'reply-sandbox-SMjoin', kind: 'reply', topicId: undefined, status: 'sent', body: undefined },
    ]);
    expect(conversations).toEqual([{ entryId: entry.id, department: 'traffic', texts: 1, lastText: 'Is Queen St open?', lastAt: '2025-03-04T08:30:00.000Z' }]);
  });

  it('answers a number no one has as not found', async () => {
    // Prepare
    const { deps } = await setUp();

    // Act
    const error = await messagesToResident(deps, operator, aPhone(9)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it.each(['sender', 'approver', 'viewer'] as const)('refuses a %s, who may not read residents', async (role) => {
    // Prepare
    const { stores, deps } = await setUp();
    await residentWithMessages(stores);

    // Act
    const error = await messagesToResident(deps, aPrincipal({ role, department: 'traffic' }), aPhone(1)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
