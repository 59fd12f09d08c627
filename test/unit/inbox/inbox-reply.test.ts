import { describe, expect, it } from 'vitest';
import { ERASED } from '../../../shared/domain/erasure.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../shared/domain/errors.js';
import type { ReplySendJob } from '../../../shared/domain/jobs.js';
import type { Channel, SubscriberProfile } from '../../../shared/domain/model.js';
import { replyBodySchema, replyDecision, replyRequestSchema, replyRefusal, replyRefusalSentences, type ReplyDecision, type ReplyRefusal } from '../../../shared/inbox/reply-rules.js';
import { archiveTemplate, createTemplate } from '../../../shared/templates/manage-templates.js';
import { templateContentSchema } from '../../../shared/templates/template.js';
import { replyToResident } from '../../../shared/inbox/reply-to-resident.js';
import { aPhone, aPrincipal, anInboxEntry } from '../../support/builders.js';
import { FixedClock, inMemoryStores, RecordingQueue, SequentialIds } from '../../support/in-memory-stores.js';

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

describe('replyDecision', () => {
  const closed = profile({ whatsappWindowOpenedAt: hoursAgo(25) });
  const open = profile({ whatsappWindowOpenedAt: hoursAgo(1) });
  it.each<[string, Channel, ReturnType<typeof profile>, { whatsappTemplate: boolean } | undefined, ReplyDecision]>([
    ['free text on SMS', 'sms', profile(), undefined, { send: 'text' }],
    ['a saved template on SMS', 'sms', profile(), { whatsappTemplate: true }, { send: 'text' }],
    ['free text on WhatsApp within 24 hours', 'whatsapp', open, undefined, { send: 'text' }],
    ['a saved template on WhatsApp within 24 hours: its text', 'whatsapp', open, { whatsappTemplate: true }, { send: 'text' }],
    ['free text on WhatsApp after 24 hours', 'whatsapp', closed, undefined, { refused: 'whatsappWindowClosed' }],
    ['a saved template with a WhatsApp template, after 24 hours: that template', 'whatsapp', closed, { whatsappTemplate: true }, { send: 'whatsappTemplate' }],
    ['a saved template without one, after 24 hours', 'whatsapp', closed, { whatsappTemplate: false }, { refused: 'templateWithoutWhatsapp' }],
    ['a saved template to a resident who opted out', 'whatsapp', profile({ optedOut: { whatsapp: hoursAgo(30) } }), { whatsappTemplate: true }, { refused: 'optedOut' }],
  ])('%s', (_case, channel, resident, savedTemplate, expected) => {
    // Prepare / Act
    const decision = replyDecision({ from: aPhone(1), channel }, resident, now, savedTemplate);

    // Assess
    expect(decision).toEqual(expected);
  });

  it.each([
    ['neither', {}],
    ['both', { body: 'Thanks', templateId: 'tpl-1' }],
  ])('refuses a request with %s of body and templateId, naming body', (_case, request) => {
    // Prepare / Act
    const parsed = replyRequestSchema.safeParse(request);

    // Assess
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['body', 'give either body (your words) or templateId (a saved template), not both']]);
  });

  it('refuses a reply with a saved template\'s ((placeholder)) left in it, naming it', () => {
    // Prepare / Act
    const parsed = replyBodySchema.safeParse('The ((road)) is shut until ((time)).');

    // Assess
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['must not contain ((road)), ((time)): write the words in their place']);
  });
});

describe('replyToResident from a saved template', () => {
  const sender = aPrincipal({ keyId: 'key-ana', role: 'sender', department: 'traffic' });
  const content = (overrides: Record<string, unknown> = {}) =>
    templateContentSchema.parse({ name: 'Thanks', body: 'Thank you, we are on it.', variants: { cy: 'Diolch, rydym arni.' }, whatsappTemplate: { name: 'thanks_reply' }, ...overrides });

  async function prepared(channel: Channel, windowHoursAgo: number | undefined, language?: 'cy') {
    const stores = inMemoryStores();
    const replies = new RecordingQueue<ReplySendJob>();
    const deps = { stores, clock: new FixedClock(now.toISOString()), ids: new SequentialIds('r'), replies };
    const entry = await stores.inbox.add(anInboxEntry({ department: 'traffic', from: aPhone(1), channel }));
    const evidence = { kind: 'inbound', provider: 'sandbox', providerMessageId: 'SM1', text: 'hi' } as const;
    if (language) await stores.subscribers.updateProfile(aPhone(1), channel, { language }, hoursAgo(40), evidence);
    if (windowHoursAgo !== undefined) await stores.subscribers.recordWhatsAppWindow(aPhone(1), hoursAgo(windowHoursAgo));
    return { deps, stores, replies, entry };
  }

  it('sends the text in the resident\'s language by SMS, and audits the template and version', async () => {
    // Prepare
    const { deps, stores, replies, entry } = await prepared('sms', undefined, 'cy');
    const template = await createTemplate(deps, sender, content());

    // Act
    const updated = await replyToResident(deps, sender, entry.id, { templateId: template.id });

    // Assess
    expect(replies.sent).toEqual([expect.objectContaining({ body: 'Diolch, rydym arni.', channel: 'sms' })]);
    expect(replies.sent[0]).not.toHaveProperty('template');
    expect(updated.replies?.map((reply) => reply.body)).toEqual(['Diolch, rydym arni.']);
    expect(stores.audit.entries.at(-1)?.after).toMatchObject({ templateId: template.id, templateVersion: 1, asWhatsappTemplate: false });
  });

  it('sends its WhatsApp template outside the 24-hour window, in the resident\'s language', async () => {
    // Prepare
    const { deps, replies, entry } = await prepared('whatsapp', 30, 'cy');
    const template = await createTemplate(deps, sender, content());

    // Act
    await replyToResident(deps, sender, entry.id, { templateId: template.id });

    // Assess
    expect(replies.sent).toEqual([expect.objectContaining({ channel: 'whatsapp', template: { name: 'thanks_reply', language: 'cy', parameters: [] } })]);
  });

  it.each([
    { case: 'a template without a WhatsApp template, outside the window', overrides: { whatsappTemplate: undefined }, error: new ConflictError(replyRefusalSentences.templateWithoutWhatsapp) },
    { case: 'a template whose text has a placeholder', overrides: { body: 'The ((road)) is shut.', variants: undefined, whatsappTemplate: undefined }, window: 1, error: expect.objectContaining({ details: [{ field: 'templateId', message: "the template's text must not contain ((road)): write the words in their place" }] }) },
  ])('refuses $case and sends nothing', async ({ overrides, window, error }) => {
    // Prepare
    const { deps, replies, entry } = await prepared('whatsapp', window ?? 30);
    const template = await createTemplate(deps, sender, content(overrides));

    // Act
    const outcome = replyToResident(deps, sender, entry.id, { templateId: template.id });

    // Assess
    await expect(outcome).rejects.toEqual(error);
    expect(replies.sent).toEqual([]);
  });

  it("refuses another department's template as not found, and an archived one naming the field", async () => {
    // Prepare
    const { deps, replies, entry } = await prepared('sms', undefined);
    const youth = await createTemplate(deps, aPrincipal({ role: 'sender', department: 'youth' }), content());
    const archived = await createTemplate(deps, sender, content());
    await archiveTemplate(deps, sender, archived.id);

    // Act
    const outsider = replyToResident(deps, sender, entry.id, { templateId: youth.id });
    const old = replyToResident(deps, sender, entry.id, { templateId: archived.id });

    // Assess
    await expect(outsider).rejects.toBeInstanceOf(NotFoundError);
    await expect(old).rejects.toMatchObject({ details: [{ field: 'templateId', message: `template ${archived.id} is archived` }] });
    expect(replies.sent).toEqual([]);
  });
});
