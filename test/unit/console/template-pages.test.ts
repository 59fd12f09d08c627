import { describe, expect, it } from 'vitest';
import { aPhone, anInboxEntry } from '../../support/builders.js';
import { CONSOLE_NOW, consoleTestApp, type ConsoleTestApp, type SignedInAs } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

/** A whole template form, valid, for a case to spoil one field of. */
const roadClosed = {
  name: 'Road closed',
  folder: 'Roads',
  message: 'The ((road)) is closed until ((time)).',
  welsh: 'Mae ((road)) ar gau tan ((time)).',
  spanish: '',
  whatsappName: 'road_closed',
  whatsappLanguage: '',
  whatsappParameters: '((road))\n((time))',
};

async function newTemplate(t: ConsoleTestApp, as: SignedInAs, form: Record<string, string> = {}): Promise<string> {
  const made = await t.post('/console/templates/new', as, { ...roadClosed, ...form });
  expect(made.status).toBe(303);
  return made.headers.get('location')!.split('/').at(-1)!;
}

function navigationLinks(html: string): string[] {
  const nav = html.slice(html.indexOf('govuk-service-navigation__list'), html.indexOf('</ul>', html.indexOf('govuk-service-navigation__list')));
  return [...nav.matchAll(/<a class="govuk-service-navigation__link"[^>]*>\s*([\s\S]*?)\s*<\/a>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, '').trim());
}

/** A resident's text in the traffic inbox: aPhone(2) reads Welsh by SMS; aPhone(4) is on WhatsApp with no window open. */
async function received(t: ConsoleTestApp, from: string, channel: 'sms' | 'whatsapp') {
  return t.stores.inbox.add(anInboxEntry({ department: 'traffic', from, channel, body: 'Is the A470 open yet?', receivedAt: CONSOLE_NOW }));
}

const thanks = { ...roadClosed, name: 'Thanks', folder: '', message: 'Thank you, we are on it.', welsh: 'Diolch, rydym arni.', whatsappName: 'thanks_reply', whatsappParameters: '' };

const cases: PageCase[] = [
  { name: 'templates, none yet', status: 200, response: async (t) => t.get('/console/templates', await t.signIn('sender')) },
  {
    name: 'templates, by folder',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await newTemplate(t, sender);
      await newTemplate(t, sender, { name: 'Bins late', folder: '', message: 'Bins are late today.' });
      return t.get('/console/templates', sender);
    },
  },
  { name: 'new template', status: 200, response: async (t) => t.get('/console/templates/new', await t.signIn('sender')) },
  { name: 'new template, every field wrong', status: 400, response: async (t) => t.post('/console/templates/new', await t.signIn('sender'), { message: '((road', whatsappName: 'Bad Name' }) },
  {
    name: 'a template, with its versions',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const id = await newTemplate(t, sender);
      await t.post(`/console/templates/${id}/edit`, sender, { ...roadClosed, message: 'The ((road)) is shut.', version: '1' });
      return t.get(`/console/templates/${id}?saved=1`, sender);
    },
  },
  { name: 'a template, as a viewer', status: 200, response: async (t) => t.get(`/console/templates/${await newTemplate(t, await t.signIn('sender'))}`, await t.signIn('viewer')) },
  { name: 'edit a template', status: 200, response: async (t) => { const sender = await t.signIn('sender'); return t.get(`/console/templates/${await newTemplate(t, sender)}/edit`, sender); } },
  {
    name: 'edit a template, someone else saved first',
    status: 409,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const id = await newTemplate(t, sender);
      await t.post(`/console/templates/${id}/edit`, await t.signIn('sender', 'traffic', 'Bo Evans'), { ...roadClosed, name: 'Bo’s', version: '1' });
      return t.post(`/console/templates/${id}/edit`, sender, { ...roadClosed, name: 'Ana’s', version: '1' });
    },
  },
  { name: 'archive a template: confirmation', status: 200, response: async (t) => { const sender = await t.signIn('sender'); return t.get(`/console/templates/${await newTemplate(t, sender)}/archive`, sender); } },
  {
    name: 'new broadcast from a template: message step with its placeholders left',
    status: 400,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await t.post(`/console/templates/${await newTemplate(t, sender)}/broadcast`, sender);
      await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
      return t.post('/console/broadcasts/new/message', sender, { message: roadClosed.message, welsh: roadClosed.welsh, template: 'road_closed', 'value:road': 'A470' });
    },
  },
  {
    name: 'conversation, a template chosen to reply with',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const id = await newTemplate(t, sender, thanks);
      return t.get(`/console/inbox/${(await received(t, aPhone(2), 'sms')).id}?template=${id}`, sender);
    },
  },
  {
    name: 'conversation, WhatsApp outside the window, a template to send',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await newTemplate(t, sender, thanks);
      return t.get(`/console/inbox/${(await received(t, aPhone(4), 'whatsapp')).id}`, sender);
    },
  },
];

everyPageChecked('every templates page', cases);

describe('the templates pages', () => {
  it.each([
    { role: 'sender', offered: true },
    { role: 'approver', offered: true },
    { role: 'viewer', offered: true },
  ] as const)('put Templates between Inbox and Topics for a $role', async ({ role }) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const links = navigationLinks(await (await t.get('/console/', await t.signIn(role))).text());

    // Assess
    expect(links.slice(0, 4)).toEqual(['Broadcasts', 'Inbox', 'Templates', 'Topics']);
  });

  it('saves a template as version 1 and shows it by SMS with what it is charged as, and who made it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Ana Jones');

    // Act
    const id = await newTemplate(t, sender);
    const text = pageText(await (await t.get(`/console/templates/${id}`, sender)).text());

    // Assess
    expect(text).toContain('Will be charged as 1 text message');
    expect(text).toContain('((road)), ((time))');
    expect(text).toMatch(/1\s+\S.*Ana Jones\s+Created it/);
    expect(t.stores.audit.entries.map((entry) => entry.action)).toEqual(['template.create']);
  });

  it('counts each text as GOV.UK Notify does, on the server too, with the UCS-2 warning', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const counted = (await (await t.post('/console/templates/count', sender, { text: `${'a'.repeat(200)}’` })).json()) as { summary: string; warning: string };
    const rerendered = await t.post('/console/templates/new', sender, { ...roadClosed, name: '', message: `${'a'.repeat(200)}’` });
    const html = await rerendered.text();

    // Assess
    expect(counted.summary).toMatch(/^Will be charged as 4 text messages/);
    expect(counted.warning).toContain('’');
    expect(pageText(html)).toContain('Will be charged as 4 text messages');
    expect(errorSummary(html)).toEqual([{ href: '#name', text: 'Name must not be empty.' }]);
  });

  it.each([
    { form: { message: 'The ((road is shut' }, field: 'message', message: 'Message: "((" at character 5 is never closed with "))".' },
    { form: { welsh: 'Mae (()) ar gau' }, field: 'welsh', message: 'Welsh message: "(())" at character 5 is not a placeholder name: use up to 40 letters, digits, spaces, dashes or underscores, such as ((road)).' },
    { form: { folder: 'f'.repeat(41) }, field: 'folder', message: 'Folder must be at most 40 characters.' },
    { form: { whatsappName: 'Road Closed' }, field: 'whatsappName', message: 'WhatsApp template name must be a WhatsApp template name (lowercase letters, digits and underscores) or a Twilio Content SID (HX followed by 32 hex digits).' },
    { form: { whatsappLanguage: 'welsh' }, field: 'whatsappLanguage', message: 'WhatsApp template language must be a WhatsApp language code such as "en_GB" or "cy".' },
  ])('names the field in the error summary: $field', async ({ form, field, message }) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.post('/console/templates/new', await t.signIn('sender'), { ...roadClosed, ...form });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: `#${field}`, text: message }]);
    expect(fieldError(html, field)).toBe(message);
  });

  it('refuses the second of two edits started on the same version, keeping what was typed, and saves nothing of it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const ana = await t.signIn('sender', 'traffic', 'Ana Jones');
    const bo = await t.signIn('sender', 'traffic', 'Bo Evans');
    const id = await newTemplate(t, ana);
    await t.post(`/console/templates/${id}/edit`, bo, { ...roadClosed, name: 'Bo’s name', version: '1' });

    // Act
    const response = await t.post(`/console/templates/${id}/edit`, ana, { ...roadClosed, name: 'Ana’s name', version: '1' });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(409);
    expect(errorSummary(html)[0]?.text).toContain('Someone else changed this template since you opened it: it is now version 2, by Bo Evans.');
    expect(html).toContain('value="Ana’s name"');
    expect((await t.stores.templates.get(id))?.name).toBe('Bo’s name');
  });

  it('archives after the confirmation, and lists it no more', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const id = await newTemplate(t, sender);

    // Act
    const archived = await t.post(`/console/templates/${id}/archive`, sender);
    const list = pageText(await (await t.get(archived.headers.get('location')!, sender)).text());

    // Assess
    expect(archived.status).toBe(303);
    expect(list).toContain('The template has been archived.');
    expect(list).not.toContain('Road closed');
  });

  it("answers another department's template as a page not found, and offers a viewer no change", async () => {
    // Prepare
    const t = await consoleTestApp();
    const id = await newTemplate(t, await t.signIn('sender'));

    // Act
    const outsider = await t.get(`/console/templates/${id}`, await t.signIn('sender', 'youth'));
    const viewer = await (await t.get(`/console/templates/${id}`, await t.signIn('viewer'))).text();
    const viewerEdit = await t.get(`/console/templates/${id}/edit`, await t.signIn('viewer'));

    // Assess
    expect(outsider.status).toBe(404);
    expect(viewer).not.toContain('Edit template');
    expect(viewer).not.toContain('New broadcast from this template');
    expect(viewerEdit.status).toBe(403);
  });
});

describe('a new broadcast from a template', () => {
  async function startFromTemplate(t: ConsoleTestApp) {
    const sender = await t.signIn('sender');
    const id = await newTemplate(t, sender);
    const started = await t.post(`/console/templates/${id}/broadcast`, sender);
    await t.post('/console/broadcasts/new', sender, { topics: ['traffic'] });
    return { sender, id, started };
  }

  it('starts the journey with the message step prefilled from the template, asking for each placeholder', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { sender, started } = await startFromTemplate(t);

    // Act
    const html = await (await t.get('/console/broadcasts/new/message', sender)).text();

    // Assess
    expect(started.headers.get('location')).toBe('/console/broadcasts/new');
    expect(html).toContain('The ((road)) is closed until ((time)).</textarea>');
    expect(html).toContain('Mae ((road)) ar gau tan ((time)).</textarea>');
    expect(html).toContain('value="road_closed"');
    expect(pageText(html)).toContain('From the template Road closed (version 1).');
    expect(html).toContain('<label class="govuk-label govuk-label--s" for="placeholder-1">');
  });

  it('refuses Continue with a placeholder left, naming it, and the check page sends the person back', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { sender } = await startFromTemplate(t);

    // Act
    const response = await t.post('/console/broadcasts/new/message', sender, { message: roadClosed.message, welsh: roadClosed.welsh, template: 'road_closed', 'value:road': 'A470', 'value:time': ' ' });
    const check = await t.get('/console/broadcasts/new/check', sender);

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(await response.text())).toEqual([{ href: '#placeholder-2', text: 'Enter a value for ((time))' }]);
    expect(check.headers.get('location')).toBe('/console/broadcasts/new/message');
  });

  it('fills each placeholder in every text and the WhatsApp parameters, and the broadcast names the template and its version', async () => {
    // Prepare
    const t = await consoleTestApp();
    const { sender, id } = await startFromTemplate(t);

    // Act
    await t.post('/console/broadcasts/new/message', sender, { message: roadClosed.message, welsh: roadClosed.welsh, template: 'road_closed', 'value:road': 'A470', 'value:time': '6pm' });
    await t.post('/console/broadcasts/new/when', sender, { when: 'now' });
    const submitted = await t.post('/console/broadcasts/new/check', sender);
    const broadcastId = submitted.headers.get('location')!.split('/').at(-1)!;
    const page = pageText(await (await t.get(`/console/broadcasts/${broadcastId}`, sender)).text());

    // Assess
    expect(await t.stores.broadcasts.get(broadcastId)).toMatchObject({
      body: 'The A470 is closed until 6pm.',
      variants: { cy: 'Mae A470 ar gau tan 6pm.' },
      whatsappTemplate: { name: 'road_closed', parameters: ['A470', '6pm'] },
      fromTemplate: { id, version: 1, name: 'Road closed' },
    });
    expect(page).toMatch(/From the template Road closed ?, version 1\./);
  });
});

describe('a reply from a template', () => {
  it("fills the Reply box on the server with the template's text in the resident's language", async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const id = await newTemplate(t, sender, thanks);
    await newTemplate(t, sender, { ...thanks, name: 'Road closed', whatsappName: '' });
    const entry = await received(t, aPhone(2), 'sms');

    // Act
    const html = await (await t.get(`/console/inbox/${entry.id}?template=${id}`, sender)).text();

    // Assess
    expect(html).toContain('Diolch, rydym arni.</textarea>');
    expect(html).toContain(`<option value="${id}" selected>Thanks</option>`);
    expect(t.replies.sent).toEqual([]);
  });

  it('outside the WhatsApp window offers only templates with a WhatsApp template, and sends the chosen one as it', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const id = await newTemplate(t, sender, thanks);
    await newTemplate(t, sender, { ...thanks, name: 'No WhatsApp', whatsappName: '' });
    const entry = await received(t, aPhone(4), 'whatsapp');

    // Act
    const html = await (await t.get(`/console/inbox/${entry.id}`, sender)).text();
    const sent = await t.post(`/console/inbox/${entry.id}/reply-template`, sender, { templateId: id });

    // Assess
    expect(html).toContain(`<option value="${id}">Thanks</option>`);
    expect(html).not.toContain('No WhatsApp');
    expect(sent.headers.get('location')).toBe(`/console/inbox/${entry.id}?sent=1`);
    expect(t.replies.sent).toEqual([expect.objectContaining({ channel: 'whatsapp', template: { name: 'thanks_reply', language: 'en_GB', parameters: [] } })]);
  });

  it("refuses a template without a WhatsApp template outside the window, saying why, and answers another department's conversation as not found", async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const without = await newTemplate(t, sender, { ...thanks, whatsappName: '' });
    const entry = await received(t, aPhone(4), 'whatsapp');

    // Act
    const refused = await t.post(`/console/inbox/${entry.id}/reply-template`, sender, { templateId: without });
    const outsider = await t.post(`/console/inbox/${entry.id}/reply-template`, await t.signIn('sender', 'youth'), { templateId: without });

    // Assess
    expect(refused.status).toBe(409);
    expect(pageText(await refused.text())).toContain('the saved template chosen has no WhatsApp template to send instead');
    expect(outsider.status).toBe(404);
    expect(t.replies.sent).toEqual([]);
  });
});
