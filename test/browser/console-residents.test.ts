import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { browserPerFile, expectAccessible, screenshot, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Finding and erasing a resident in a real browser on a local stack: a resident joins a topic by
 * text; an operator finds them by their national number, reads the consent history with the text
 * that is its evidence, erases them after typing the number again, and finding them again says
 * there is no such resident. axe-core (WCAG 2.2 A and AA) on every page on the way.
 */
const authToken = 'console-residents-twilio-token';
const staffPassword = 'residents-staff-password';
const resident = { e164: '+447700900401', national: '07700 900401' };

describe('residents in the console, in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
    const topic = await client.api('POST', '/v1/topics', { id: 'bins', name: 'Bin collections', keywords: ['BINS'], department: 'general' });
    expect(topic.status).toBe(201);
    expect((await client.text(resident.e164, 'JOIN BINS')).status).toBe(200);
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
    expect(erasePage).toContain('What erasure keeps');
    expect(erasePage).toContain('What erasure cannot reach');
    expect(mismatch).toContain("The number you typed does not match this resident's number");
    expect(panel).toContain('Resident erased');
    expect(again).toContain('No resident has the number +44 7700 900401.');
    expect(api.status).toBe(404);
  });
});
