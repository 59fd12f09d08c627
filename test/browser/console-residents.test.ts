import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { browserPerFile, expectAccessible, screenshot, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Finding and erasing a resident in a real browser on a local stack: a resident joins a topic by
 * text; an operator finds them by their national number, reads the consent history with the text
 * that is its evidence, erases them after typing the number again, and finding them again says
 * there is no such resident. A sender imports residents from a spreadsheet: a file with bad rows
 * is refused with its problems grouped, the fixed file is checked, given its consent evidence and
 * imported, and the batch's page tells what happened. axe-core (WCAG 2.2 A and AA) on every page
 * on the way.
 */
const authToken = 'console-residents-twilio-token';
const staffPassword = 'residents-staff-password';
const resident = { e164: '+447700900401', national: '07700 900401' };
/** Who texted STOP to traffic: an import may not subscribe them again (row 9 of bad-rows.csv). */
const stopped = '+447700900409';
const spreadsheet = (name: string) => ({ name, mimeType: 'text/csv', buffer: readFileSync(`events/console-import/${name}`) });

describe('residents in the console, in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
    const topic = await client.api('POST', '/v1/topics', { id: 'bins', name: 'Bin collections', keywords: ['BINS'], department: 'general' });
    expect(topic.status).toBe(201);
    const traffic = await client.api('POST', '/v1/topics', { id: 'traffic', name: 'Traffic alerts', keywords: ['TRAFFIC'], department: 'general' });
    expect(traffic.status).toBe(201);
    expect((await client.text(resident.e164, 'JOIN BINS')).status).toBe(200);
    expect((await client.text(stopped, 'JOIN TRAFFIC')).status).toBe(200);
    expect((await client.text(stopped, 'STOP')).status).toBe(200);
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const signIn = (page: Page, email: string) => signInAt(page, stack.publicBaseUrl, email, staffPassword);

  async function findResident(page: Page, typed: string): Promise<void> {
    await page.getByLabel('Phone number').fill(typed);
    await page.getByRole('button', { name: 'Find resident' }).click();
    await page.waitForLoadState();
  }

  it('finds a resident by national number, shows the evidence of their consent, erases them, and then finds no one', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'operator@crier.test');

    // Act: find, first with a number that is not one
    await page.getByRole('link', { name: 'Residents' }).click();
    await page.waitForURL(/\/console\/residents$/);
    await expectAccessible(page);
    await findResident(page, '0770');
    const badNumber = await page.locator('.govuk-error-summary').innerText();
    await expectAccessible(page);
    await findResident(page, resident.national);
    await page.waitForURL((url: URL) => url.pathname === `/console/residents/${encodeURIComponent(resident.e164)}`);
    await expectAccessible(page);
    await screenshot(page, 'console-resident');
    const residentPage = await page.locator('main').innerText();

    // Act: erase, first typing a number that is not theirs
    await page.getByRole('button', { name: 'Erase this resident' }).click();
    await page.waitForURL(/\/erase$/);
    await expectAccessible(page);
    const erasePage = await page.locator('main').innerText();
    await page.getByLabel("Type the resident's number again to confirm").fill('07700 900402');
    await page.getByRole('button', { name: 'Erase this resident' }).click();
    await page.waitForLoadState();
    const mismatch = await page.locator('.govuk-error-summary').innerText();
    await expectAccessible(page);
    await page.getByLabel("Type the resident's number again to confirm").fill(resident.national);
    await page.getByRole('button', { name: 'Erase this resident' }).click();
    await page.waitForLoadState();
    const panel = await page.locator('.govuk-panel').innerText();
    await expectAccessible(page);

    // Act: find them again
    await page.getByRole('link', { name: 'Find another resident' }).click();
    await findResident(page, resident.national);
    const again = await page.locator('main').innerText();
    await expectAccessible(page);
    const api = await client.api('GET', `/v1/subscribers/${encodeURIComponent(resident.e164)}`);

    // Assess
    expect(badNumber).toContain('"0770" is not a valid phone number.');
    expect(residentPage).toContain('+44 7700 900401');
    expect(residentPage).toMatch(/Bin collections \(general\)\s+SMS/);
    expect(residentPage).toContain('Their message “JOIN BINS”');
    expect(residentPage).toContain('Messages sent to them');
    expect(residentPage).toContain('Automatic reply to their text');
    expect(erasePage).toContain('What erasure keeps');
    expect(erasePage).toContain('What erasure cannot reach');
    expect(mismatch).toContain("The number you typed does not match this resident's number");
    expect(panel).toContain('Resident erased');
    expect(again).toContain('No resident has the number +44 7700 900401.');
    expect(api.status).toBe(404);
  });

  it('refuses a spreadsheet with bad rows, naming its problems by kind and by row, then imports the fixed one with its consent evidence', async () => {
    // Prepare
    const { page } = browser;
    await page.context().clearCookies();
    await signIn(page, 'sender@crier.test');

    // Act: the file with problems
    await page.getByRole('link', { name: 'Residents' }).click();
    await page.getByRole('button', { name: 'Import residents' }).click();
    await page.waitForURL(/\/console\/residents\/import$/);
    await expectAccessible(page);
    await page.getByLabel('Upload a CSV file').setInputFiles(spreadsheet('bad-rows.csv'));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.waitForLoadState();
    const problems = await page.locator('main').innerText();
    await expectAccessible(page);

    // Act: the fixed file, then its consent evidence
    await page.getByLabel('Upload your file again').setInputFiles(spreadsheet('fixed.csv'));
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.waitForLoadState();
    const check = await page.locator('main').innerText();
    await expectAccessible(page);
    await page.getByLabel('Who collected their consent').fill('Grangetown youth club');
    await page.getByLabel('Day').fill('20');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('How their consent was given').fill('A signed paper form');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/console\/residents\/imports\//);
    const batch = await page.locator('main').innerText();
    await expectAccessible(page);
    const imported = await client.api('GET', `/v1/subscribers/${encodeURIComponent('+447700900502')}`);
    const stillStopped = await client.api('GET', `/v1/subscribers/${encodeURIComponent(stopped)}`);

    // Assess
    expect(problems).toContain('There is a problem with bad-rows.csv');
    expect(problems).toContain('Nothing has been imported.');
    expect(problems).toContain('Fix 2 phone numbers');
    expect(problems).toContain('Enter missing data in 1 row');
    expect(problems).toContain('Fix the topic in 1 row');
    expect(problems).toMatch(/\b9\b/);
    expect(check).toContain('Check the residents to import');
    expect(check).toMatch(/Traffic alerts|traffic/);
    expect(batch).toContain('Grangetown youth club');
    expect(batch).toMatch(/(Traffic alerts|traffic)\s+3\s+0/);
    expect(imported.status).toBe(200);
    expect(JSON.stringify(imported.json)).toContain('whatsapp');
    expect(JSON.stringify(stillStopped.json)).not.toContain('import');
  });
});
