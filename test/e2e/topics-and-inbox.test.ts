import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { renderReply } from '../../shared/domain/replies.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * A department looking after its topics and its inbox on a local stack: a topic renamed with new
 * keywords, a keyword clash, an archived topic (JOIN, broadcast, STOP), and free text going
 * through the inbox to handled.
 */
describe('topics and the inbox on the local stack', () => {
  const authToken = 'topics-token';
  const settings = { serviceName: 'Council alerts', contact: 'your council' };
  const phone = (n: number) => `+447700900${String(n).padStart(3, '0')}`;
  let stack: LocalStack;
  let client: LocalStackClient;


  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, settings: { topicShards: 2 } });
    client = new LocalStackClient(stack, authToken);
    for (const topic of [
      { id: 'bins', name: 'Bin days', keywords: ['BINS'], department: 'waste' },
      { id: 'parks', name: 'Parks', keywords: ['PARKS'], department: 'leisure' },
      { id: 'events', name: 'Events', keywords: ['EVENTS'], department: 'leisure' },
    ]) {
      expect((await client.api('POST', '/v1/topics', topic)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('renames a topic and changes its keyword: JOIN with the new one works, the old one does not', async () => {
    // Prepare
    const resident = phone(401);

    // Act
    const updated = await client.api('PATCH', '/v1/topics/bins', { name: 'Waste collections', keywords: ['WASTE'] });
    const withNew = await client.textAndCollect(resident, 'JOIN WASTE');
    const withOld = await client.textAndCollect(phone(402), 'JOIN BINS');
    const audit = await client.api('GET', '/v1/audit?limit=5');

    // Assess: topics are listed to residents in id order (bins, events, parks)
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id: 'bins', name: 'Waste collections', keywords: ['WASTE'], department: 'waste' });
    expect(withNew).toEqual([renderReply('subscribed', 'en', { ...settings, topicName: 'Waste collections' })]);
    expect(withOld).toEqual([renderReply('unknownTopic', 'en', { ...settings, word: 'BINS', keywords: ['WASTE', 'EVENTS', 'PARKS'] })]);
    expect(audit.json.entries[0]).toMatchObject({
      action: 'topic.update',
      target: { type: 'topic', id: 'bins' },
      before: { name: 'Bin days', keywords: ['BINS'] },
      after: { name: 'Waste collections', keywords: ['WASTE'] },
    });
  });

  it('refuses a keyword another topic holds with 409 naming that topic', async () => {
    // Prepare / Act
    const clash = await client.api('PATCH', '/v1/topics/parks', { keywords: ['PARKS', 'EVENTS'] });
    const topic = await client.api('GET', '/v1/topics/parks');

    // Assess
    expect(clash.status).toBe(409);
    expect(clash.json.error).toBe('keyword EVENTS is already used by topic "events"');
    expect(topic.json.keywords).toEqual(['PARKS']);
  });

  it('refuses a department move by a non-operator with 403, and a bad field with 400', async () => {
    // Prepare
    const approver = await client.api('POST', '/v1/keys', { name: 'Leisure approver', role: 'approver', department: 'leisure' });

    // Act
    const move = await client.api('PATCH', '/v1/topics/parks', { department: 'waste' }, approver.json.key);
    const rename = await client.api('PATCH', '/v1/topics/parks', { name: 'Parks and gardens' }, approver.json.key);
    const bad = await client.api('PATCH', '/v1/topics/parks', { keywords: ['two words'] });

    // Assess
    expect(move.status).toBe(403);
    expect(rename.status).toBe(200);
    expect(bad.status).toBe(400);
    expect(bad.json.details[0].field).toBe('keywords.0');
  });

  it('archives a topic: JOIN answered as unknown, no broadcast to it, STOP still works for its subscribers', async () => {
    // Prepare
    const member = phone(411);
    await client.textAndCollect(member, 'JOIN EVENTS');

    // Act
    const archived = await client.api('POST', '/v1/topics/events/archive');
    const join = await client.textAndCollect(phone(412), 'JOIN EVENTS');
    const broadcast = await client.api('POST', '/v1/broadcasts', { topics: ['parks', 'events'], body: 'Fireworks tonight.' });
    const stop = await client.textAndCollect(member, 'STOP');
    const listed = await client.api('GET', '/v1/topics');
    const withArchived = await client.api('GET', '/v1/topics?archived=true');
    const reused = await client.api('POST', '/v1/topics', { id: 'festivals', name: 'Festivals', keywords: ['EVENTS'], department: 'leisure' });

    // Assess
    expect(archived.status).toBe(200);
    expect(archived.json.archivedAt).toEqual(expect.any(String));
    expect(join).toEqual([renderReply('unknownTopic', 'en', { ...settings, word: 'EVENTS', keywords: ['WASTE', 'PARKS'] })]);
    expect(broadcast.status).toBe(400);
    expect(broadcast.json.details).toEqual([{ field: 'topics.1', message: 'topic "events" is archived' }]);
    expect(stop).toEqual([renderReply('optedOut', 'en', settings)]);
    expect(listed.json.topics.map((topic: { id: string }) => topic.id)).not.toContain('events');
    expect(withArchived.json.topics.map((topic: { id: string }) => topic.id)).toContain('events');
    expect(reused.status).toBe(201);
  });

  it('takes free text to the inbox, filters it, and marks it handled', async () => {
    // Prepare
    const resident = phone(421);
    await client.textAndCollect(resident, 'JOIN PARKS');
    await client.textAndCollect(resident, 'The gate at Roath Park is broken');

    // Act
    const unhandled = await client.api('GET', `/v1/inbox?department=leisure&handled=false&topic=parks&from=${encodeURIComponent('07700 900421')}`);
    const id = unhandled.json.messages[0]?.id;
    const handled = await client.api('POST', `/v1/inbox/${id}/handled`);
    const again = await client.api('POST', `/v1/inbox/${id}/handled`);
    const afterwards = await client.api('GET', '/v1/inbox?department=leisure&handled=false');
    const done = await client.api('GET', '/v1/inbox?department=leisure&handled=true');
    const audit = await client.api('GET', '/v1/audit?limit=3');

    // Assess
    expect(unhandled.status).toBe(200);
    expect(unhandled.json.messages).toEqual([
      expect.objectContaining({ id: expect.any(String), from: resident, body: 'The gate at Roath Park is broken', topicId: 'parks', handled: false }),
    ]);
    expect(handled.status).toBe(200);
    expect(handled.json).toMatchObject({ id, handled: true, handledBy: 'operator', handledAt: expect.any(String) });
    expect(again.json).toEqual(handled.json);
    expect(afterwards.json.messages.map((message: { id: string }) => message.id)).not.toContain(id);
    expect(done.json.messages.map((message: { id: string }) => message.id)).toEqual([id]);
    expect(audit.json.entries.filter((entry: { action: string }) => entry.action === 'inbox.handle')).toHaveLength(1);
  });

  it('replies to a resident’s question through the provider, shows the reply on the entry, and refuses one after STOP', async () => {
    // Prepare
    const resident = phone(431);
    await client.textAndCollect(resident, 'JOIN PARKS');
    await client.textAndCollect(resident, 'Is the paddling pool open on Sunday?');
    const question = (await client.api('GET', `/v1/inbox?department=leisure&from=${encodeURIComponent(resident)}`)).json.messages[0];

    // Act
    const replied = await client.api('POST', `/v1/inbox/${question.id}/reply`, { body: 'Yes, from 10am to 6pm.' });
    const entry = (await client.api('GET', `/v1/inbox?department=leisure&from=${encodeURIComponent(resident)}`)).json.messages[0];
    const audit = await client.api('GET', '/v1/audit?limit=5');
    await client.textAndCollect(resident, 'STOP');
    const afterStop = await client.api('POST', `/v1/inbox/${question.id}/reply`, { body: 'One more thing.' });
    const empty = await client.api('POST', `/v1/inbox/${question.id}/reply`, { body: ' ' });

    // Assess
    expect(replied.status).toBe(201);
    await expect.poll(async () => (await client.outbox(resident)).map((message) => message.body)).toContain('Yes, from 10am to 6pm.');
    expect(entry.replies).toEqual([{ messageId: expect.stringMatching(/^inbox-reply-/), body: 'Yes, from 10am to 6pm.', at: expect.any(String), by: 'operator' }]);
    expect(audit.json.entries.find((one: { action: string }) => one.action === 'inbox.reply')).toMatchObject({ target: { type: 'inbox', id: question.id } });
    expect(JSON.stringify(audit.json.entries)).not.toContain(resident);
    expect(afterStop.status).toBe(409);
    expect(afterStop.json.error).toBe('This resident has opted out (they texted STOP), so crier sends them nothing more until they text START.');
    expect(empty.status).toBe(400);
    expect(empty.json.details).toEqual([{ field: 'body', message: 'must not be empty' }]);
    expect((await client.outbox(resident)).map((message) => message.body)).not.toContain('One more thing.');
  });

  it('masks numbers for a key that may not read residents, and works a message through the API: conversation, assign, note, several handled, reopen, export, the audit log by action', async () => {
    // Prepare
    const resident = phone(441);
    await client.textAndCollect(resident, 'JOIN PARKS');
    await client.textAndCollect(resident, 'Can I book the bandstand?');
    const sender = (await client.api('POST', '/v1/keys', { name: 'Leisure sender', role: 'sender', department: 'leisure' })).json;
    const staff = (await client.api('POST', '/v1/staff', { email: 'parks@leisure.test', name: 'Parks Officer', role: 'sender', department: 'leisure' })).json;
    const asSender = (method: string, path: string, body?: unknown) => client.api(method, path, body, sender.key);

    // Act
    const listed = await asSender('GET', '/v1/inbox?department=leisure&topic=parks&handled=false');
    const id: string = listed.json.messages.find((message: { body: string }) => message.body === 'Can I book the bandstand?').id;
    const assigned = await asSender('POST', `/v1/inbox/${id}/assign`, { assignee: staff.id });
    const noted = await asSender('POST', `/v1/inbox/${id}/notes`, { text: 'Bookings go through the events team.' });
    const assignedToStaff = await asSender('GET', `/v1/inbox?assignedTo=${staff.id}`);
    const conversation = await asSender('GET', `/v1/inbox/${id}`);
    const several = await asSender('POST', '/v1/inbox/handled', { ids: [id] });
    const reopened = await asSender('POST', `/v1/inbox/${id}/reopen`);
    const exported = await client.apiText('/v1/inbox/export?department=leisure&topic=parks', sender.key);
    const byOperator = await client.apiText('/v1/inbox/export?department=leisure&topic=parks');
    const audit = await client.api('GET', '/v1/audit?action=inbox.assign&department=leisure');
    const badDay = await asSender('GET', '/v1/inbox?receivedFrom=2026-02-30');

    // Assess
    expect(JSON.stringify(listed.json)).not.toContain(resident);
    expect(listed.json.messages[0].from).toBe('*********441');
    expect(assigned.json).toMatchObject({ id, assignedTo: staff.id, from: '*********441' });
    expect(noted.status).toBe(201);
    expect(noted.json.notes).toEqual([{ id: expect.any(String), text: 'Bookings go through the events team.', at: expect.any(String), by: sender.id }]);
    expect(assignedToStaff.json.messages.map((message: { id: string }) => message.id)).toEqual([id]);
    expect(conversation.json.number).toBe('*********441');
    expect(conversation.json.lines.map((line: { kind: string }) => line.kind)).toEqual(['resident', 'note']);
    expect(several.json.messages.map((message: { handled: boolean }) => message.handled)).toEqual([true]);
    expect(reopened.json.handled).toBe(false);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exported.text).toContain('*********441');
    expect(exported.text).not.toContain(resident);
    expect(byOperator.text).toContain(`'${resident}`);
    expect(audit.json.entries).toEqual([expect.objectContaining({ action: 'inbox.assign', target: { type: 'inbox', id }, before: { assignedTo: null }, after: { assignedTo: staff.id }, department: 'leisure' })]);
    expect(badDay.status).toBe(400);
    expect(badDay.json.details).toEqual([{ field: 'query.receivedFrom', message: 'must be a real date, like 2026-03-27' }]);
  });

  it('refuses a bad inbox filter with 400 naming it, and an unknown message with 404', async () => {
    // Prepare / Act
    const badPhone = await client.api('GET', '/v1/inbox?from=not-a-number');
    const badHandled = await client.api('GET', '/v1/inbox?handled=maybe');
    const unknown = await client.api('POST', '/v1/inbox/AAAAAAAAAAAAAAAAAAAAAA/handled');

    // Assess
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.details[0].field).toBe('query.from');
    expect(badHandled.status).toBe(400);
    expect(badHandled.json.details[0].field).toBe('query.handled');
    expect(unknown.status).toBe(404);
  });

  it("pages through GET /v1/topics, a department key seeing only its department's topics", async () => {
    // Prepare
    const viewer = await client.api('POST', '/v1/keys', { name: 'Leisure viewer', role: 'viewer', department: 'leisure' });
    const everyTopic = (await client.api('GET', '/v1/topics?limit=200')).json.topics as { id: string; department: string }[];
    const leisure = everyTopic.filter((topic) => topic.department === 'leisure').map((topic) => topic.id);

    // Act
    const pages: { status: number; ids: string[]; cursor?: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.api('GET', `/v1/topics?limit=1${cursor ? `&cursor=${cursor}` : ''}`, undefined, viewer.json.key);
      pages.push({ status: page.status, ids: page.json.topics.map((topic: { id: string }) => topic.id), cursor: page.json.cursor });
      cursor = page.json.cursor;
    } while (cursor && pages.length < 10);
    const tooMany = await client.api('GET', '/v1/topics?limit=500');

    // Assess
    expect(leisure.length).toBeGreaterThanOrEqual(2);
    expect(pages.map((page) => page.status)).toEqual(leisure.map(() => 200));
    expect(pages.flatMap((page) => page.ids)).toEqual(leisure);
    expect(pages.at(-1)?.cursor).toBeUndefined();
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.details[0].field).toBe('query.limit');
  });
});
