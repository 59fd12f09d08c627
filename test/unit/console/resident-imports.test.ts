import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../shared/domain/subscriber-import.js';
import { aPhone, inboundEvidence } from '../../support/builders.js';
import { CONSOLE_NOW, consoleTestApp, type ConsoleTestApp, type SignedInAs } from '../../support/console-app.js';
import { everyPageChecked, type PageCase } from '../../support/console-page-cases.js';
import { errorSummary, fieldError, pageText } from '../../support/page-reading.js';

const fixture = (name: string) => readFileSync(new URL(`../../../events/console-import/${name}`, import.meta.url), 'utf8');
const badRows = () => ({ name: 'residents.csv', content: fixture('bad-rows.csv') });
const fixed = () => ({ name: 'residents.csv', content: fixture('fixed.csv') });
const consent = { 'consent-by': 'Grangetown youth club', 'consent-at-day': '20', 'consent-at-month': '2', 'consent-at-year': '2025', 'consent-method': 'paper form' };

/** The resident who texted STOP, whose number the bad file holds (its last row). */
async function withStoppedResident(t: ConsoleTestApp): Promise<void> {
  const stopped = '+447700900409';
  await t.stores.subscribers.subscribe(stopped, 'sms', 'traffic', CONSOLE_NOW, inboundEvidence());
  await t.stores.subscribers.optOut(stopped, 'sms', CONSOLE_NOW, inboundEvidence());
}

/** The check page's hidden fields, as the browser posts them back with Import. */
function carried(html: string): Record<string, string> {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  return { carried: field('carried'), fileName: field('fileName') };
}

async function imported(t: ConsoleTestApp, as: SignedInAs): Promise<string> {
  const check = await (await t.upload('/console/residents/import', as, fixed())).text();
  const done = await t.post('/console/residents/import/confirm', as, { ...carried(check), ...consent });
  return done.headers.get('location')!;
}

const pages: PageCase[] = [
  { name: 'import: upload', status: 200, response: async (t) => t.get('/console/residents/import', await t.signIn('sender')) },
  { name: 'import: no file', status: 400, response: async (t) => t.upload('/console/residents/import', await t.signIn('sender'), undefined) },
  {
    name: 'import: the check page with problems',
    status: 400,
    response: async (t) => {
      await withStoppedResident(t);
      return t.upload('/console/residents/import', await t.signIn('sender'), badRows());
    },
  },
  { name: 'import: the check page, no problems', status: 200, response: async (t) => t.upload('/console/residents/import', await t.signIn('sender'), fixed()) },
  {
    name: 'import: the check page, consent evidence not given',
    status: 400,
    response: async (t) => {
      const sender = await t.signIn('sender');
      const check = await (await t.upload('/console/residents/import', sender, fixed())).text();
      return t.post('/console/residents/import/confirm', sender, { ...carried(check), 'consent-by': 'Youth club' });
    },
  },
  {
    name: "import: the batch's page",
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      return t.get(await imported(t, sender), sender);
    },
  },
  {
    name: 'residents, with recent imports',
    status: 200,
    response: async (t) => {
      const sender = await t.signIn('sender');
      await imported(t, sender);
      return t.get('/console/residents', sender);
    },
  },
  { name: 'refused: a viewer imports', status: 403, response: async (t) => t.get('/console/residents/import', await t.signIn('viewer')) },
];

everyPageChecked('every import page', pages);

describe('importing from a spreadsheet', () => {
  it('lists the problems grouped by kind and row by row, and imports nothing', async () => {
    // Prepare
    const t = await consoleTestApp();
    await withStoppedResident(t);
    const sender = await t.signIn('sender');

    // Act
    const html = await (await t.upload('/console/residents/import', sender, badRows())).text();

    // Assess
    expect(errorSummary(html)).toEqual([
      { href: '#problems-missing', text: 'Enter missing data in 1 row' },
      { href: '#problems-phone', text: 'Fix 2 phone numbers' },
      { href: '#problems-topic', text: 'Fix the topic in 1 row' },
      { href: '#problems-value', text: 'Fix other data in 1 row' },
      { href: '#problems-duplicate', text: 'Remove 1 duplicate row' },
      { href: '#problems-stopped', text: 'Remove 1 resident who said no (opted out, left the topic or were erased)' },
    ]);
    const text = pageText(html);
    expect(text).toContain('3 phone "0770" is not a valid phone number.');
    expect(text).toContain('5 phone The phone number is required.');
    expect(text).toContain('6 topic There is no topic "parking".');
    expect(text).toContain('7 phone Repeats line 2 (the same number, topic and channel).');
    expect(text).toContain('9 phone The resident opted out of sms on');
    expect(await t.stores.subscribers.getProfile(aPhone(501))).toBeUndefined();
  });

  it.each([
    ['no file', undefined, 'Select a CSV file'],
    ['a file that is not CSV', { name: 'residents.xlsx', content: 'PK' }, 'The selected file must be a CSV file'],
    ['a file over the size limit', { name: 'big.csv', content: 'x'.repeat(MAX_IMPORT_BYTES + 1) }, 'The selected file must be smaller than 1 MB'],
    ['a file over the row limit', { name: 'long.csv', content: `phone,topic\n${'07700 900501,traffic\n'.repeat(MAX_IMPORT_ROWS + 1)}` }, `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${MAX_IMPORT_ROWS + 1}: split it.`],
    ['a file not in UTF-8', { name: 'latin.csv', content: new Uint8Array([0x70, 0x68, 0x6f, 0x6e, 0x65, 0xe9, 0x0a]) }, 'The selected file must be saved as CSV UTF-8'],
    ['an empty file', { name: 'empty.csv', content: '' }, 'The selected file is empty'],
  ])('refuses %s beside the file input, naming it in the error summary', async (_case, file, message) => {
    // Prepare
    const t = await consoleTestApp();

    // Act
    const response = await t.upload('/console/residents/import', await t.signIn('sender'), file);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: '#file', text: message }]);
    expect(fieldError(html, 'file')).toBe(message);
  });

  it('asks for the consent evidence the rows do not give, then imports, and the batch page says who, when, the evidence and the outcome', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender', 'traffic', 'Sam Sender');
    const check = await (await t.upload('/console/residents/import', sender, fixed())).text();

    // Act
    const missing = await (await t.post('/console/residents/import/confirm', sender, carried(check))).text();
    const done = await t.post('/console/residents/import/confirm', sender, { ...carried(check), ...consent });
    const batch = pageText(await (await t.get(done.headers.get('location')!, sender)).text());
    const residents = pageText(await (await t.get('/console/residents', sender)).text());

    // Assess
    expect(pageText(check)).toContain('3 rows give no consent evidence of their own.');
    expect(errorSummary(missing).map((error) => error.href)).toEqual(['#consent-by', '#consent-at-day', '#consent-method']);
    expect(done.status).toBe(303);
    expect(batch).toContain('Outcome Imported');
    expect(batch).toContain('Run by Sam Sender (traffic)');
    expect(batch).toContain('Consent evidence Collected by Grangetown youth club on 2025-02-20 (paper form)');
    expect(batch).toContain('Subscribed by this import 3');
    expect(batch).toMatch(/Traffic alerts 3 0/);
    expect(residents).toMatch(/Recent imports .* Sam Sender 3 Imported/);
    expect((await t.stores.subscribers.consentHistory(aPhone(502)))[0]?.evidence).toEqual(expect.objectContaining({ collectedBy: 'Grangetown youth club', method: 'paper form' }));
  });

  it('refuses at Import what changed since the check (a STOP), groups it, and keeps the refusal on the batch', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const check = await (await t.upload('/console/residents/import', sender, fixed())).text();
    await t.stores.subscribers.subscribe(aPhone(503), 'sms', 'traffic', CONSOLE_NOW, inboundEvidence());
    await t.stores.subscribers.optOut(aPhone(503), 'sms', CONSOLE_NOW, inboundEvidence());

    // Act
    const refused = await t.post('/console/residents/import/confirm', sender, { ...carried(check), ...consent });
    const html = await refused.text();
    const batchPath = /href="(\/console\/residents\/imports\/[^"]+)"/.exec(html)?.[1];
    const batch = pageText(await (await t.get(batchPath!, sender)).text());

    // Assess
    expect(refused.status).toBe(400);
    expect(errorSummary(html)).toEqual([{ href: '#problems-stopped', text: 'Remove 1 resident who said no (opted out, left the topic or were erased)' }]);
    expect(batch).toContain('Outcome Refused: nothing was imported');
    expect(batch).toContain('4 phone A resident who said no');
    expect(await t.stores.subscribers.getProfile(aPhone(501))).toBeUndefined();
  });

  it("answers another department's batch as a page that does not exist", async () => {
    // Prepare
    const t = await consoleTestApp();
    const path = await imported(t, await t.signIn('sender'));

    // Act
    const other = await t.get(path, await t.signIn('sender', 'youth'));

    // Assess
    expect(other.status).toBe(404);
  });
});
