import { describe, expect, it } from 'vitest';
import { ERASED } from '../../shared/domain/erasure.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import type { ReplySendJob } from '../../shared/domain/jobs.js';
import type { Channel, SubscriberProfile } from '../../shared/domain/model.js';
import { replyRefusal, replyRefusalSentences, type ReplyRefusal } from '../../shared/inbox/reply-rules.js';
import { replyToResident } from '../../shared/inbox/reply-to-resident.js';
import { aPhone, aPrincipal, anInboxEntry } from '../support/builders.js';
import { FixedClock, inMemoryStores, RecordingQueue, SequentialIds } from '../support/in-memory-stores.js';

const now = new Date('2025-03-04T10:00:00.000Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString();
const profile = (overrides: Partial<Pick<SubscriberProfile, 'optedOut' | 'whatsappWindowOpenedAt'>> = {}) => ({ optedOut: {}, whatsappWindowOpenedAt: undefined, ...overrides });

describe('replyRefusal', () => {
  it.each<[string, string, Channel, ReturnType<typeof profile> | undefined, ReplyRefusal | undefined]>([
    ['an SMS resident', aPhone(1), 'sms', profile(), undefined],
    ['an SMS resident with no profile', aPhone(1), 'sms', undefined, undefined],
    ['an erased number', ERASED, 'sms', undefined, 'erased'],
    ['a resident who texted STOP on SMS', aPhone(1), 'sms', profile({ optedOut: { sms: hoursAgo(1) } }), 'optedOut'],
    ['a resident who opted out on WhatsApp only, written to by SMS', aPhone(1), 'sms', profile({ optedOut: { whatsapp: hoursAgo(1) } }), undefined],
    ['WhatsApp within 24 hours', aPhone(1), 'whatsapp', profile({ whatsappWindowOpenedAt: hoursAgo(23) }), undefined],
    ['WhatsApp after 24 hours', aPhone(1), 'whatsapp', profile({ whatsappWindowOpenedAt: hoursAgo(25) }), 'whatsappWindowClosed'],
    ['WhatsApp with no window ever opened', aPhone(1), 'whatsapp', profile(), 'whatsappWindowClosed'],
    ['WhatsApp, opted out and the window closed', aPhone(1), 'whatsapp', profile({ optedOut: { whatsapp: hoursAgo(30) } }), 'optedOut'],
  ])('%s', (_case, from, channel, resident, expected) => {
    // Prepare / Act
    const refusal = replyRefusal({ from, channel }, resident, now);

    // Assess
    expect(refusal).toBe(expected);
  });

  it.each(Object.entries(replyRefusalSentences))('says %s as a whole sentence', (_refusal, words) => {
    // Prepare / Act / Assess
    expect(words).toMatch(/^[A-Z].*\.$/);
  });
});

describe('replyToResident', () => {
  async function prepared() {
    const stores = inMemoryStores();
    const replies = new RecordingQueue<ReplySendJob>();
    const deps = { stores, clock: new FixedClock(now.toISOString()), ids: new SequentialIds('r'), replies };
    const entry = await stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(1) }));
    return { deps, stores, replies, entry };
  }

  it.each([
    { case: 'a viewer', principal: aPrincipal({ role: 'viewer', department: 'traffic' }), error: ForbiddenError },
    { case: 'a test key', principal: aPrincipal({ role: 'sender', department: 'traffic', mode: 'test' }), error: ForbiddenError },
    { case: 'another department', principal: aPrincipal({ role: 'sender', department: 'youth' }), error: ForbiddenError },
  ])('refuses $case and sends nothing', async ({ principal, error }) => {
    // Prepare
    const { deps, replies, entry } = await prepared();

    // Act
    const outcome = replyToResident(deps, principal, entry.id, 'Hello');

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(error);
    expect(replies.sent).toEqual([]);
  });

  it('refuses an unknown entry with NotFoundError, an empty body with ValidationError naming body, and a resident who opted out with ConflictError', async () => {
    // Prepare
    const { deps, stores, replies, entry } = await prepared();
    const sender = aPrincipal({ role: 'sender', department: 'traffic' });

    // Act
    const unknown = replyToResident(deps, sender, 'AAAAAAAAAAAAAAAAAAAAAA', 'Hello');
    const empty = replyToResident(deps, sender, entry.id, '');
    await stores.subscribers.optOut(aPhone(1), 'sms', hoursAgo(1), { kind: 'inbound', provider: 'sandbox', providerMessageId: 'SM1', text: 'STOP' });
    const optedOut = replyToResident(deps, sender, entry.id, 'Hello');

    // Assess
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    await expect(empty).rejects.toMatchObject({ constructor: ValidationError, details: [{ field: 'body', message: 'must not be empty' }] });
    await expect(optedOut).rejects.toEqual(new ConflictError(replyRefusalSentences.optedOut));
    expect(replies.sent).toEqual([]);
    expect(stores.audit.entries).toEqual([]);
  });

  it.each([
    { case: 'the number the resident wrote to', to: '+447700900001', from: '+447700900001' },
    { case: 'the WhatsApp address the resident wrote to', to: 'whatsapp:+447700900002', from: 'whatsapp:+447700900002' },
    { case: 'an entry kept from before it was recorded: the default two-way identity', to: undefined, from: undefined },
  ])('sends the reply from $case', async ({ to, from }) => {
    // Prepare
    const { deps, stores, replies } = await prepared();
    const entry = await stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(2), ...(to === undefined ? {} : { to }) }));

    // Act
    await replyToResident(deps, aPrincipal({ role: 'sender', department: 'traffic' }), entry.id, 'We are on it.');

    // Assess
    expect(replies.sent).toHaveLength(1);
    expect(replies.sent[0]?.from).toBe(from);
    expect(replies.sent[0]?.to).toBe(aPhone(2));
  });

  it('sends one reply for one token, however often (or however fast) the form is sent', async () => {
    // Prepare
    const { deps, stores, replies, entry } = await prepared();
    const sender = aPrincipal({ role: 'sender', department: 'traffic' });

    // Act
    await Promise.all([replyToResident(deps, sender, entry.id, 'Once', { token: 'token-one-1' }), replyToResident(deps, sender, entry.id, 'Once', { token: 'token-one-1' })]);
    await replyToResident(deps, sender, entry.id, 'Once', { token: 'token-one-1' });
    await replyToResident(deps, sender, entry.id, 'Twice', { token: 'token-two-2' });

    // Assess
    expect((await stores.inbox.get(entry.id))?.replies?.map((reply) => reply.body)).toEqual(['Once', 'Twice']);
    expect(new Set(replies.sent.map((job) => job.messageId)).size).toBe(2);
    expect(stores.audit.entries.filter((audit) => audit.action === 'inbox.reply')).toHaveLength(2);
  });
});
