import { describe, expect, it } from 'vitest';
import { keywordList } from '../../../console/views-model/topic-form.js';
import { consoleTestApp } from '../../support/console-app.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

/** A whole create form, valid, for a case to spoil one field of. */
const roads = { id: 'roads', name: 'Roads', keywords: 'ROADS', welshName: '', welshKeywords: '', spanishName: '', spanishKeywords: '', department: '' };

describe('topic forms: each field refused names itself with the API schema\'s message, in the summary and beside the field', () => {
  const many = (count: number, prefix: string) => Array.from({ length: count }, (_, index) => `${prefix}${index}`).join('\n');
  it.each([
    { case: 'an ID with capitals and a space', form: { id: 'Road works' }, field: 'id', message: 'Topic ID must be 1–40 lowercase letters, digits or dashes, starting with a letter or digit.' },
    { case: 'no name', form: { name: '  ' }, field: 'name', message: 'Name must not be empty.' },
    { case: 'a name too long', form: { name: 'n'.repeat(81) }, field: 'name', message: 'Name must be at most 80 characters.' },
    { case: 'a keyword that is a command word', form: { keywords: 'roads, join' }, field: 'keywords', message: 'Keyword "join" is a reserved command word.' },
    { case: 'a keyword of two words', form: { keywords: 'road works' }, field: 'keywords', message: 'Keyword "road works" must be one word of letters, digits or dashes (at most 30).' },
    { case: 'a keyword given twice', form: { keywords: 'ROADS\nroads' }, field: 'keywords', message: 'Keyword "roads" repeats the keyword ROADS.' },
    { case: 'too many keywords', form: { keywords: many(21, 'R') }, field: 'keywords', message: 'Keywords must be 20 or fewer.' },
    { case: 'a Welsh name too long', form: { welshName: 'n'.repeat(81) }, field: 'welsh-name', message: 'Welsh name must be at most 80 characters.' },
    { case: 'a Welsh keyword of two words', form: { welshKeywords: 'y ffyrdd' }, field: 'welsh-keywords', message: 'Welsh keyword "y ffyrdd" must be one word of letters, digits or dashes (at most 30).' },
    { case: 'a Welsh keyword the English keywords have', form: { welshKeywords: 'FFYRDD, roads' }, field: 'welsh-keywords', message: 'Welsh keyword "roads" repeats the keyword ROADS.' },
    { case: 'too many Welsh keywords', form: { welshKeywords: many(11, 'F') }, field: 'welsh-keywords', message: 'Welsh keywords must be 10 or fewer.' },
    { case: 'a Spanish name too long', form: { spanishName: 'n'.repeat(81) }, field: 'spanish-name', message: 'Spanish name must be at most 80 characters.' },
    { case: 'a Spanish keyword that is a command word', form: { spanishKeywords: 'baja' }, field: 'spanish-keywords', message: 'Spanish keyword "baja" is a reserved command word.' },
    { case: 'a department too long', form: { department: 'd'.repeat(41) }, field: 'department', message: 'Department must be at most 40 characters.' },
  ])('create: $case', async ({ form, field, message }) => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/topics/new', operator, { ...roads, ...form });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: `#${field}`, text: message }]);
    expect(fieldError(html, field)).toBe(message);
    expect(html).toMatch(/<title>\s*Error: /);
    expect(html).toContain(`id="${field}"`);
    expect(await t.stores.topics.get('roads')).toBeUndefined();
  });

  it('edit: an empty name and an emptied department, in the form\'s order, what was typed kept', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/topics/traffic/edit', operator, { department: '', name: '', keywords: 'TRAFFIC\nroadworks' });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([
      { href: '#name', text: 'Name must not be empty.' },
      { href: '#department', text: 'Department must not be empty.' },
    ]);
    expect(html).toContain('TRAFFIC\nroadworks</textarea>');
    expect((await t.stores.topics.get('traffic'))?.name).toBe('Traffic alerts');
  });

  it('reads keywords one a line or separated by commas or semicolons, never by spaces', () => {
    // Prepare
    const typed = ' roads,\r\nFFYRDD ;carreteras\n\nroad works, ';

    // Act
    const keywords = keywordList(typed);

    // Assess
    expect(keywords).toEqual(['roads', 'FFYRDD', 'carreteras', 'road works']);
  });
});

describe('topic forms: a keyword another topic holds', () => {
  it.each([
    { case: 'a keyword', form: { keywords: 'roads, youth' }, field: 'keywords' },
    { case: 'a Welsh keyword', form: { welshKeywords: 'youth' }, field: 'welsh-keywords' },
    { case: 'a Spanish keyword', form: { spanishKeywords: 'Youth' }, field: 'spanish-keywords' },
  ])('create: $case is refused naming the keyword and its topic, beside the field', async ({ form, field }) => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/topics/new', operator, { ...roads, ...form });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: `#${field}`, text: 'Keyword YOUTH is already used by topic "youth".' }]);
    expect(fieldError(html, field)).toBe('Keyword YOUTH is already used by topic "youth".');
    expect(await t.stores.topics.get('roads')).toBeUndefined();
  });

  it('edit: refused the same way, and nothing changes', async () => {
    // Prepare
    const t = await consoleTestApp();
    const approver = await t.signIn('approver');

    // Act
    const response = await t.post('/console/topics/traffic/edit', approver, { name: 'Traffic news', keywords: 'TRAFFIC\nCLOSURES' });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: '#keywords', text: 'Keyword CLOSURES is already used by topic "closures".' }]);
    expect((await t.stores.topics.get('traffic'))?.name).toBe('Traffic alerts');
  });

  it('create: an ID in use is refused beside the ID', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/topics/new', operator, { ...roads, id: 'traffic' });

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ href: '#id', text: 'Topic "traffic" already exists.' }]);
  });
});

describe('topics: who sees and does what', () => {
  it('lists the person\'s department\'s topics with their subscriber totals split by channel; an operator\'s, all of them with departments', async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const senderSees = pageText(await (await t.get('/console/topics', await t.signIn('sender'))).text());
    const operatorSees = pageText(await (await t.get('/console/topics', await t.signIn('operator', '*'))).text());

    // Assess
    expect(senderSees).toContain('Topic Keywords Subscribers SMS WhatsApp Road closures CLOSURES 2 2 0 Traffic alerts TRAFFIC 3 2 1');
    expect(senderSees).not.toContain('Youth news');
    expect(operatorSees).toContain('Topic Keywords Department Subscribers SMS WhatsApp Road closures CLOSURES traffic 2 2 0 Traffic alerts TRAFFIC traffic 3 2 1 Youth news YOUTH youth 1 1 0');
  });

  it("shows a topic's subscribers by channel and by language, with the languages named in English", async () => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const html = await (await t.get('/console/topics/traffic', await t.signIn('sender'))).text();

    // Assess
    const text = pageText(html);
    expect(text).toContain('By channel Channel Subscribers SMS 2 WhatsApp 1 Total 3');
    expect(text).toContain('By language Language Subscribers English 0 Welsh 1 Spanish 0 Not given (they receive the default language) 2 Subscriptions made before');
    expect(text).toContain('Subscriptions made before crier counted subscribers by language are in the total only');
  });

  it.each([
    { role: 'operator', department: '*', create: true, change: true },
    { role: 'approver', department: 'traffic', create: false, change: true },
    { role: 'sender', department: 'traffic', create: false, change: false },
    { role: 'viewer', department: 'traffic', create: false, change: false },
  ] as const)('$role: offered Create $create, Change and Archive $change, as the access rules say', async ({ role, department, create, change }) => {
    // Prepare
    const t = await consoleTestApp();
    const person = await t.signIn(role, department);

    // Act
    const list = await (await t.get('/console/topics', person)).text();
    const topic = await (await t.get('/console/topics/traffic', person)).text();

    // Assess
    expect(list.includes('href="/console/topics/new"')).toBe(create);
    expect(topic.includes('href="/console/topics/traffic/edit#name"')).toBe(change);
    expect(topic.includes('href="/console/topics/traffic/archive"')).toBe(change);
  });

  it.each([
    { case: 'opens the create form', method: 'get' },
    { case: 'posts the create form anyway', method: 'post' },
  ] as const)('a sender who $case is refused with the rule\'s own sentence, and nothing is made', async ({ method }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const response = method === 'get' ? await t.get('/console/topics/new', sender) : await t.post('/console/topics/new', sender, roads);

    // Assess
    expect(response.status).toBe(403);
    expect(pageText(await response.text())).toContain('You cannot do that A sender key may not create topics.');
    expect(await t.stores.topics.get('roads')).toBeUndefined();
  });

  it.each([
    { case: 'its page', method: 'get', path: '/console/topics/youth' },
    { case: 'its edit form', method: 'get', path: '/console/topics/youth/edit' },
    { case: 'a change posted', method: 'post', path: '/console/topics/youth/edit' },
    { case: 'its archive confirmation', method: 'get', path: '/console/topics/youth/archive' },
    { case: 'an archive posted', method: 'post', path: '/console/topics/youth/archive' },
  ] as const)('another department\'s topic is not found: $case', async ({ method, path }) => {
    // Prepare
    const t = await consoleTestApp();
    const approver = await t.signIn('approver');

    // Act
    const response = method === 'get' ? await t.get(path, approver) : await t.post(path, approver, { name: 'Taken over', keywords: 'YOUTH' });

    // Assess
    expect(response.status).toBe(404);
    const youth = await t.stores.topics.get('youth');
    expect([youth?.name, youth?.archivedAt]).toEqual(['Youth news', undefined]);
  });

  it('an approver may not switch the two-person rule off: the use case\'s refusal, as a page', async () => {
    // Prepare
    const t = await consoleTestApp();
    const approver = await t.signIn('approver');

    // Act
    const form = await (await t.get('/console/topics/closures/edit', approver)).text();
    const response = await t.post('/console/topics/closures/edit', approver, { name: 'Road closures', keywords: 'CLOSURES' });

    // Assess
    expect(pageText(form)).toContain('Only an operator can switch this off.');
    expect(response.status).toBe(403);
    expect(pageText(await response.text())).toContain('Only an operator key may switch off the two-person rule on a topic.');
    expect((await t.stores.topics.get('closures'))?.requiresApproval).toBe(true);
  });
});

describe('topics: create, change, archive', () => {
  it('an operator creates a topic with Welsh and Spanish aliases for a department; its page shows each, recorded in the audit log', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const response = await t.post('/console/topics/new', operator, {
      ...roads,
      keywords: 'roads; ROADWORKS',
      welshName: 'Ffyrdd',
      welshKeywords: 'ffyrdd',
      spanishName: 'Carreteras',
      spanishKeywords: 'carreteras',
      department: 'highways',
      requiresApproval: 'yes',
      confirmedOptIn: 'yes',
    });
    const topic = pageText(await (await t.get(response.headers.get('location')!, operator)).text());

    // Assess
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/console/topics/roads');
    expect(await t.stores.topics.get('roads')).toMatchObject({
      name: 'Roads',
      keywords: ['ROADS', 'ROADWORKS'],
      department: 'highways',
      requiresApproval: true,
      confirmedOptIn: true,
      aliases: { cy: { name: 'Ffyrdd', keywords: ['FFYRDD'] }, es: { name: 'Carreteras', keywords: ['CARRETERAS'] } },
    });
    expect(topic).toContain('Keywords ROADS, ROADWORKS Change keywords');
    expect(topic).toContain('Welsh name Ffyrdd Change Welsh name Welsh keywords FFYRDD Change Welsh keywords');
    expect(topic).toContain('Spanish name Carreteras Change Spanish name Spanish keywords CARRETERAS');
    expect(topic).toContain('Needs a second person to approve Yes');
    expect(topic).toContain('Confirmed opt-in Yes');
    expect(topic).toContain('Department highways Change department Subscribers 0');
    expect(t.stores.audit.entries.map((entry) => [entry.action, entry.target.id])).toEqual([['topic.create', 'roads']]);
  });

  it('an approver changes the name, keywords and aliases: the edit form starts from the topic, keywords and aliases are replaced whole', async () => {
    // Prepare
    const t = await consoleTestApp();
    const approver = await t.signIn('approver');
    await t.stores.topics.update('traffic', (topic) => ({ ...topic, aliases: { es: { name: 'Tráfico', keywords: ['TRAFICO'] } } }));

    // Act
    const form = await (await t.get('/console/topics/traffic/edit', approver)).text();
    const response = await t.post('/console/topics/traffic/edit', approver, { name: 'Traffic news', keywords: 'TRAFFIC, ROADWORKS', welshName: 'Traffig', welshKeywords: 'TRAFFIG' });

    // Assess
    expect(form).toContain('value="Traffic alerts"');
    expect(form).toContain('value="Tráfico"');
    expect(form).not.toContain('id="department"');
    expect(response.status).toBe(303);
    expect(await t.stores.topics.get('traffic')).toMatchObject({
      name: 'Traffic news',
      keywords: ['TRAFFIC', 'ROADWORKS'],
      department: 'traffic',
      aliases: { cy: { name: 'Traffig', keywords: ['TRAFFIG'] } },
    });
    expect(t.stores.audit.entries.map((entry) => entry.action)).toEqual(['topic.update']);
  });

  it('archive: a confirmation, then the topic is listed apart, offers no change, and its keyword is free for a new topic', async () => {
    // Prepare
    const t = await consoleTestApp();
    const operator = await t.signIn('operator', '*');

    // Act
    const confirmation = pageText(await (await t.get('/console/topics/closures/archive', operator)).text());
    const archived = await t.post('/console/topics/closures/archive', operator);
    const list = pageText(await (await t.get('/console/topics', operator)).text());
    const topic = await (await t.get('/console/topics/closures', operator)).text();
    const again = await t.post('/console/topics/new', operator, { ...roads, id: 'closures-2', keywords: 'CLOSURES' });

    // Assess
    expect(confirmation).toContain('Archive Road closures? Residents will no longer be able to join it');
    expect(archived.status).toBe(303);
    expect(list).toMatch(/Topics residents can join .*Traffic alerts.* Archived Topic Keywords Department Subscribers SMS WhatsApp Road closures CLOSURES traffic 2 2 0$/);
    expect(pageText(topic)).toContain('Archived Residents can no longer join it');
    expect(topic).not.toContain('/console/topics/closures/edit');
    expect(again.status).toBe(303);
  });
});
