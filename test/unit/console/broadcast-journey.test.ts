import { describe, expect, it } from 'vitest';
import { consoleTestApp, type ConsoleTestApp, type ConsoleTestOptions, type SignedInAs } from '../../support/console-app.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

async function draftUpToCheck(t: ConsoleTestApp, as: SignedInAs, topics: string[] = ['traffic'], when: Record<string, string> = { when: 'now' }) {
  expect((await t.post('/console/broadcasts/new', as, { topics })).status).toBe(303);
  expect((await t.post('/console/broadcasts/new/message', as, { message: 'The A470 is closed at Storey Arms.', welsh: "Mae'r A470 ar gau." })).status).toBe(303);
  expect((await t.post('/console/broadcasts/new/when', as, when)).status).toBe(303);
}

async function submitted(t: ConsoleTestApp, as: SignedInAs, topics: string[]): Promise<string> {
  await draftUpToCheck(t, as, topics);
  const response = await t.post('/console/broadcasts/new/check', as);
  expect(response.status).toBe(303);
  return response.headers.get('location')!.split('/').at(-1)!;
}

describe('new broadcast: each field refused names itself, in the summary and beside the field', () => {
  const tooLong = 'a'.repeat(1601);
  it.each([
    { case: 'no topic', path: '/console/broadcasts/new', form: { areas: '' }, field: 'topics', message: 'Select at least one topic' },
    { case: 'a postcode that is not a district', path: '/console/broadcasts/new', form: { topics: 'traffic', areas: 'CF10 1AA' }, field: 'areas', message: 'Postcode districts: "CF10 1AA" is finer than a postcode district: target the district "CF10" instead.' },
    { case: 'an empty message', path: '/console/broadcasts/new/message', form: { message: '   ' }, field: 'message', message: 'Message must not be empty.' },
    { case: 'a message too long', path: '/console/broadcasts/new/message', form: { message: tooLong }, field: 'message', message: 'Message must be at most 1600 characters.' },
    { case: 'an unknown placeholder', path: '/console/broadcasts/new/message', form: { message: 'Closed in {{town}}' }, field: 'message', message: 'Message: unknown placeholder "{{town}}" at character 11: use {{area}}, {{age_band}} or {{topic}}.' },
    { case: 'a WhatsApp template name with spaces', path: '/console/broadcasts/new/message', form: { message: 'Closed.', template: 'road closure' }, field: 'template', message: 'WhatsApp template must be a WhatsApp template name (lowercase letters, digits and underscores) or a Twilio Content SID (HX followed by 32 hex digits).' },
    { case: 'no choice of when', path: '/console/broadcasts/new/when', form: {}, field: 'when', message: 'Select when to send the broadcast' },
    { case: 'a date in the past', path: '/console/broadcasts/new/when', form: { when: 'later', day: '3', month: '3', year: '2025', time: '18:30' }, field: 'send-at-day', errorId: 'send-at', message: 'The date and time must be after now (2025-03-04T10:00:00.000Z).' },
    { case: 'a date that does not exist', path: '/console/broadcasts/new/when', form: { when: 'later', day: '30', month: '2', year: '2025', time: '18:30' }, field: 'send-at-day', errorId: 'send-at', message: 'The date must be a real date' },
    { case: 'no time', path: '/console/broadcasts/new/when', form: { when: 'later', day: '5', month: '3', year: '2025', time: '' }, field: 'time', message: 'Enter a time in 24-hour format, such as 18:30' },
  ] as Array<{ case: string; path: string; form: Record<string, string>; field: string; errorId?: string; message: string }>)('$case', async ({ path, form, field, errorId, message }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const response = await t.post(path, sender, form);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: `#${field}`, text: message }]);
    // A date's message stands above its three boxes, under the date input's own id.
    expect(fieldError(html, errorId ?? field)).toBe(message);
    expect(html).toMatch(/<title>\s*Error: /);
    expect(html).toContain(`id="${field}"`);
  });
});

describe('new broadcast: the steps', () => {
  it('keeps what was filled in between steps, shows it on the check page, and forgets it once submitted', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    await t.post('/console/broadcasts/new', sender, { topics: ['traffic'], areas: 'cf10, CF11', ageBands: ['16-17', '25+'] });
    await t.post('/console/broadcasts/new/message', sender, { message: 'Roadworks in {{area|your area}}.', welsh: 'Gwaith ffordd.' });
    const audienceAgain = await (await t.get('/console/broadcasts/new', sender)).text();
    const messageAgain = await (await t.get('/console/broadcasts/new/message', sender)).text();
    await t.post('/console/broadcasts/new/when', sender, { when: 'urgent' });
    const check = pageText(await (await t.get('/console/broadcasts/new/check', sender)).text());
    const sent = await t.post('/console/broadcasts/new/check', sender);

    // Assess
    expect(audienceAgain).toMatch(/value="traffic" checked/);
    expect(audienceAgain).toContain('value="cf10, CF11"');
    expect(audienceAgain).toMatch(/value="16-17" checked/);
    expect(messageAgain).toContain('Roadworks in {{area|your area}}.</textarea>');
    expect(pageText(messageAgain)).toContain('This broadcast would reach 2 residents. By channel: SMS: 2. By language: Welsh: 1, English: 1.');
    expect(check).toContain('Residents in CF10, CF11 and aged 16-17, 25+');
    expect(check).toContain('Roadworks in CF10. Reply STOP to stop.');
    expect(check).toContain('Gwaith ffordd. Atebwch STOP i stopio.');
    expect(check).toContain('Urgent: goes now, even in quiet hours');
    expect(check).toContain('Send now');
    expect(sent.headers.get('location')).toBe('/console/broadcasts/bc-0001');
    expect(await t.stores.broadcasts.get('bc-0001')).toMatchObject({
      topics: ['traffic'],
      body: 'Roadworks in {{area|your area}}.',
      variants: { cy: 'Gwaith ffordd.' },
      filters: { areas: ['CF10', 'CF11'], ageBands: ['16-17', '25+'] },
      priority: 'urgent',
      status: 'sending',
      createdBy: sender.staff.id,
    });
    expect((await t.sessions.get(sender.idHash))?.draft).toBeUndefined();
  });

  it('sends a person who skipped a step back to it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });

    // Act
    const check = await t.get('/console/broadcasts/new/check', sender);

    // Assess
    expect(check.status).toBe(302);
    expect(check.headers.get('location')).toBe('/console/broadcasts/new/message');
  });

  it('offers only the department’s topics, by name, and ignores any other posted', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const audience = await (await t.get('/console/broadcasts/new', sender)).text();
    const foreign = await t.post('/console/broadcasts/new', sender, { topics: ['youth'] });

    // Assess
    expect(audience).toMatch(/<label class="govuk-label govuk-checkboxes__label" for="topics(-\d+)?">\s*Traffic alerts\s*<\/label>/);
    expect(audience).toContain('Road closures');
    expect(audience).not.toContain('Youth news');
    expect(foreign.status).toBe(400);
  });

  it('Replace them swaps each character that has a GSM-7 stand-in, in every text, and names what forces UCS-2', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
    await t.post('/console/broadcasts/new/message', sender, { message: 'It’s closed – sorry', welsh: 'Mae’r ffordd ar gau' });
    const typed = await (await t.get('/console/broadcasts/new/message', sender)).text();

    // Act
    const replaced = await t.post('/console/broadcasts/new/message', sender, { message: 'It’s closed – sorry', welsh: 'Mae’r ffordd ar gau', action: 'replace' });
    const html = await replaced.text();

    // Assess
    expect(pageText(typed)).toContain('"’" and "–" are outside the GSM-7 alphabet');
    expect(typed).toContain('Replace them');
    expect(replaced.status).toBe(200);
    expect(html).toContain('It&#39;s closed - sorry</textarea>');
    expect(html).toContain('Mae&#39;r ffordd ar gau</textarea>');
    expect(html).not.toContain('Replace them');
    expect((await t.sessions.get(sender.idHash))?.draft).toMatchObject({ newBroadcast: { body: "It's closed - sorry", welsh: "Mae'r ffordd ar gau" } });
  });

  it.each([
    { destination: 'document', status: 302 },
    { destination: 'image', status: 401 },
    { destination: 'empty', status: 401 },
  ])('without a session, a request for a $destination answers $status (only a page the person opened starts a sign-in)', async ({ destination, status }) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.app.request('/console/broadcasts/new', { headers: { 'sec-fetch-dest': destination } });

    // Assess
    expect(response.status).toBe(status);
  });

  it('stops the first Continue over characters that have a GSM-7 stand-in, and goes on at the second', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });

    // Act
    const first = await t.post('/console/broadcasts/new/message', sender, { message: 'It’s closed' });
    const firstHtml = await first.text();
    const second = await t.post('/console/broadcasts/new/message', sender, { message: 'It’s closed' });
    const changed = await t.post('/console/broadcasts/new/message', sender, { message: 'It’s shut' });

    // Assess
    expect(first.status).toBe(200);
    expect(firstHtml).toContain('Replace them');
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe('/console/broadcasts/new/when');
    expect(changed.status).toBe(200);
  });

  it('counts characters and segments with the STOP footer, for the live counter', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const response = await t.post('/console/broadcasts/new/message/count', sender, { text: 'It’s closed' });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ encoding: 'UCS-2', segments: 1, unicodeCharacters: ['’'], replaceable: true, summary: '31 characters, 1 SMS segment, with the STOP footer' });
  });

  it.each([
    { case: 'a topic with the two-person rule', topics: ['closures'], when: { when: 'now' }, button: 'Submit for approval' },
    { case: 'no approval, now', topics: ['traffic'], when: { when: 'now' }, button: 'Send now' },
    { case: 'no approval, at a time', topics: ['traffic'], when: { when: 'later', day: '5', month: '3', year: '2025', time: '18:30' }, button: 'Schedule' },
  ] as Array<{ case: string; topics: string[]; when: Record<string, string>; button: string }>)('the check page’s button: $case → $button', async ({ topics, when, button }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    await draftUpToCheck(t, sender, topics, when);

    // Act
    const check = await (await t.get('/console/broadcasts/new/check', sender)).text();

    // Assess
    expect(check).toMatch(new RegExp(`<button[^>]*id="submit"[^>]*>\\s*${button}\\s*</button>`));
  });

  it.each([
    {
      case: 'a time that has passed while the page was open',
      options: {},
      when: { when: 'later', day: '4', month: '3', year: '2025', time: '10:20' },
      wait: 30 * 60 * 1000,
      message: 'The broadcast is scheduled in the past.',
    },
    { case: "over the department's daily cap", options: { dailyMessageCap: 2 }, when: { when: 'now' }, wait: 0, message: 'Department "traffic" may send 2 messages a day; 0 are counted for 2025-03-04 and this broadcast reaches 3.' },
  ] as Array<{ case: string; options: ConsoleTestOptions; when: Record<string, string>; wait: number; message: string }>)('a refusal at submit is shown on the check page, and nothing is made: $case', async ({ options, when, wait, message }) => {
    // Prepare
    const t = await consoleTestApp(options);
    const sender = await t.signIn('sender');
    await draftUpToCheck(t, sender, ['traffic'], when);
    t.clock.advance(wait);

    // Act
    const response = await t.post('/console/broadcasts/new/check', sender);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)[0]).toEqual({ href: '#submit', text: message });
    expect((await t.stores.broadcasts.list({ department: '*', limit: 10, cursor: undefined })).items).toEqual([]);
  });

  it('shows the quiet hours on the when step', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const when = pageText(await (await t.get('/console/broadcasts/new/when', sender)).text());

    // Assess
    expect(when).toContain('Quiet hours are 21:00 to 08:00. Normal broadcasts wait until 08:00.');
    expect(when).toContain('Urgent broadcasts go now, even in quiet hours');
  });
});

describe('approval', () => {
  it('an approver ticks the confirmation and approves: the broadcast starts and its page names both people', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Siân Sender');
    const approver = await t.signIn('approver', 'traffic', 'Alun Approver');
    const id = await submitted(t, sender, ['closures']);
    const home = pageText(await (await t.get('/console/', approver)).text());
    const approvePage = pageText(await (await t.get(`/console/broadcasts/${id}/approve`, approver)).text());

    // Act
    const approved = await t.post(`/console/broadcasts/${id}/approve`, approver, { confirm: 'yes' });

    // Assess
    expect(home).toContain('Needs your approval Message Topics Status Created The A470 is closed at Storey Arms. Road closures Waiting for approval');
    expect(approvePage).toContain('I understand this will send to 2 residents');
    expect(approvePage).toContain('Approve and send');
    expect(approved.status).toBe(303);
    expect((await t.stores.broadcasts.get(id))?.status).toBe('sending');
    const page = pageText(await (await t.get(`/console/broadcasts/${id}`, sender)).text());
    expect(page).toContain('Created Siân Sender');
    expect(page).toContain('Approved Alun Approver');
  });

  it('refuses an approval without the confirmation ticked', async () => {
    // Prepare
    const t = await consoleTestApp();
    const id = await submitted(t, await t.signIn('sender'), ['closures']);
    const approver = await t.signIn('approver');

    // Act
    const response = await t.post(`/console/broadcasts/${id}/approve`, approver, {});
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: '#confirm', text: 'Tick the box to confirm you understand who this will send to' }]);
    expect(fieldError(html, 'confirm')).toBe('Tick the box to confirm you understand who this will send to');
    expect((await t.stores.broadcasts.get(id))?.status).toBe('pending_approval');
  });

  it('the author sees no approve button, and is refused if they post the form anyway', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('operator', '*');
    const id = await submitted(t, sender, ['closures']);

    // Act
    const page = await (await t.get(`/console/broadcasts/${id}/approve`, sender)).text();
    const broadcastPage = await (await t.get(`/console/broadcasts/${id}`, sender)).text();
    const forced = await t.post(`/console/broadcasts/${id}/approve`, sender, { confirm: 'yes' });

    // Assess
    expect(page).not.toContain('Approve and send');
    expect(pageText(page)).toContain('A broadcast must be approved by someone other than its author.');
    expect(broadcastPage).not.toContain('/approve"');
    expect(forced.status).toBe(403);
    expect(pageText(await forced.text())).toContain('A broadcast must be approved by someone other than its author.');
    expect((await t.stores.broadcasts.get(id))?.status).toBe('pending_approval');
  });

  it('a rejection needs a reason, which the author then sees', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const approver = await t.signIn('approver');
    const id = await submitted(t, sender, ['closures']);

    // Act
    const empty = await t.post(`/console/broadcasts/${id}/reject`, approver, { reason: '  ' });
    const emptyHtml = await empty.text();
    const rejected = await t.post(`/console/broadcasts/${id}/reject`, approver, { reason: 'Say which junction.' });

    // Assess
    expect(empty.status).toBe(400);
    expect(errorSummary(emptyHtml)).toEqual([{ href: '#reason', text: 'Reason: say why, so the author can put it right.' }]);
    expect(fieldError(emptyHtml, 'reason')).toBe('Reason: say why, so the author can put it right.');
    expect(rejected.status).toBe(303);
    const page = pageText(await (await t.get(`/console/broadcasts/${id}`, sender)).text());
    expect(page).toContain('Rejected: Say which junction.');
  });
});

describe('the broadcast page', () => {
  it.each([
    { case: 'its page', method: 'get', path: '' },
    { case: 'its progress', method: 'get', path: '/progress' },
    { case: 'stopping it', method: 'post', path: '/stop' },
    { case: 'approving it', method: 'post', path: '/approve' },
  ])('another department sees none of it: $case is not found', async ({ method, path }) => {
    // Prepare
    const t = await consoleTestApp();
    const id = await submitted(t, await t.signIn('sender'), ['closures']);
    const youth = await t.signIn('approver', 'youth');

    // Act
    const response = method === 'get' ? await t.get(`/console/broadcasts/${id}${path}`, youth) : await t.post(`/console/broadcasts/${id}${path}`, youth, { confirm: 'yes' });

    // Assess
    expect(response.status).toBe(404);
    expect((await t.stores.broadcasts.get(id))?.status).toBe('pending_approval');
  });

  it('Stop sending asks first, then stops it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const id = await submitted(t, sender, ['traffic']);
    const page = await (await t.get(`/console/broadcasts/${id}`, sender)).text();

    // Act
    const confirmation = await (await t.get(`/console/broadcasts/${id}/stop`, sender)).text();
    const stopped = await t.post(`/console/broadcasts/${id}/stop`, sender);

    // Assess
    expect(page).toContain(`href="/console/broadcasts/${id}/stop"`);
    expect(pageText(confirmation)).toContain('Stop sending this broadcast?');
    expect(stopped.status).toBe(303);
    expect((await t.stores.broadcasts.get(id))?.status).toBe('cancelled');
    const after = await (await t.get(`/console/broadcasts/${id}`, sender)).text();
    expect(pageText(after)).toContain('Stopped');
    expect(after).not.toContain(`href="/console/broadcasts/${id}/stop"`);
  });

  it('shows progress without a script, and the same figures as JSON for the script', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const id = await submitted(t, sender, ['traffic']);
    await t.stores.broadcasts.addCounts(id, { sent: 2, delivered: 1, skipped: 1, skippedBy: { opted_out: 1 } });

    // Act
    const page = await (await t.get(`/console/broadcasts/${id}`, sender)).text();
    const progress = await (await t.get(`/console/broadcasts/${id}/progress`, sender)).json();

    // Assess
    expect(page).toMatch(/data-count="sent">\s*2\s*</);
    expect(page).toMatch(/data-count="delivered">\s*1\s*</);
    expect(pageText(page)).toContain('Opted out: 1');
    expect(progress).toMatchObject({ status: 'sending', settled: false, counts: { sent: '2', delivered: '1', skipped: '1' }, skippedBy: [{ reason: 'Opted out', count: '1' }] });
  });
});

describe('the home page', () => {
  it('offers New broadcast to those who may create one, and shows today’s use of the cap', async () => {
    // Prepare
    const t = await consoleTestApp({ dailyMessageCap: 1000 });
    const sender = await t.signIn('sender');
    const viewer = await t.signIn('viewer');
    await submitted(t, sender, ['traffic']);

    // Act
    const senderHome = pageText(await (await t.get('/console/', sender)).text());
    const viewerHome = pageText(await (await t.get('/console/', viewer)).text());

    // Assess
    expect(senderHome).toContain('New broadcast');
    expect(senderHome).toContain('Sent today by traffic 3 of 1,000 messages (997 left)');
    expect(senderHome).toContain('Sending now');
    expect(viewerHome).not.toContain('New broadcast');
  });
});
