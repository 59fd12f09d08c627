import { readFile } from 'node:fs/promises';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { browserPerFile, checkAccessibility, screenshot } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The broadcast journey in a real browser (Debian's Chromium) on a local stack, as staff meet it:
 * sign in at the embedded identity provider, compose with a Welsh variant and a pasted curly
 * apostrophe, replace it, check, submit; a second person approves; the page follows it to sent.
 * Every page on the way is checked with axe-core against WCAG 2.2 A and AA.
 */
const authToken = 'console-journey-twilio-token';
const staffPassword = 'journey-staff-password';
const residents = { english: '+447700900301', welsh: '+447700900302', another: '+447700900303' };

// A browser journey is many page loads on a shared 2-core machine: minutes, not the default 30 s.
describe('the console in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      twilio: { authToken },
      sandbox: { failureRate: 0 },
      staffPassword,
      settings: { quietHours: 'off' },
    });
    client = new LocalStackClient(stack, authToken);
    const topic = await client.api('POST', '/v1/topics', {
      id: 'youth',
      name: 'Youth updates',
      keywords: ['YOUTH'],
      department: 'general',
      requiresApproval: true,
    });
    expect(topic.status).toBe(201);
    for (const phone of Object.values(residents)) await client.text(phone, 'JOIN YOUTH');
    await client.text(residents.welsh, 'LANG CY');
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Every page the journey passes through: no WCAG 2.2 A/AA violation axe-core can find. */
  async function expectAccessible(page: Page): Promise<void> {
    expect(await checkAccessibility(page), `axe-core on ${page.url()}`).toEqual([]);
  }

  async function signIn(page: Page, email: string, startAt = '/console/'): Promise<void> {
    await page.goto(`${stack.publicBaseUrl}${startAt}`);
    await expect.poll(() => page.getByLabel('Email address').isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'console-sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Past the identity provider and the callback: on the console page itself.
    await page.waitForURL((url: URL) => url.pathname.startsWith('/console/') && !url.pathname.startsWith('/console/auth/'));
  }

  /** Composes a broadcast to the youth topic up to the check page, by mouse. */
  async function composeToCheck(page: Page, body: string, welsh?: string): Promise<void> {
    await page.getByRole('button', { name: 'New broadcast' }).click();
    await page.getByLabel('Youth updates').check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Message', { exact: true }).fill(body);
    if (welsh) await page.getByLabel('Welsh message (optional)').fill(welsh);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Now', { exact: true }).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/console\/broadcasts\/new\/check$/);
  }

  it('takes a broadcast from a sender through a second person to sent, one message per resident', async () => {
    // Prepare
    const { page } = browser;
    const before = (await client.outbox()).length;

    // Act: the sender composes, meets the UCS-2 warning, replaces the apostrophe and submits
    await signIn(page, 'sender@crier.test');
    const header = await page.locator('header').innerText();
    await expectAccessible(page);
    await screenshot(page, 'console-home');
    await page.getByRole('button', { name: 'New broadcast' }).click();
    await page.getByLabel('Youth updates').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Message', { exact: true }).fill('It’s youth club tonight at 7pm.');
    await page.getByLabel('Welsh message (optional)').fill('Mae clwb ieuenctid heno am 7pm.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Replace them' }).isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'console-message-ucs2');
    await page.getByRole('button', { name: 'Replace them' }).click();
    const replaced = await page.getByLabel('Message', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Now', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/check$/);
    await expectAccessible(page);
    await screenshot(page, 'console-check');
    const checkText = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.waitForURL(/\/console\/broadcasts\/[0-9a-z]{26}$/);
    const broadcastPath = new URL(page.url()).pathname;
    await expectAccessible(page);
    const authorSees = await page.goto(`${stack.publicBaseUrl}${broadcastPath}/approve`).then(() => page.getByRole('button', { name: 'Approve and send' }).count());

    // Act: the approver ticks the confirmation and approves
    const approverContext = await browser.browser.newContext();
    const approver = await approverContext.newPage();
    await signIn(approver, 'approver@crier.test');
    await approver.getByRole('link', { name: /youth club tonight/ }).first().click();
    await approver.goto(`${stack.publicBaseUrl}${broadcastPath}/approve`);
    await expectAccessible(approver);
    await approver.getByRole('button', { name: 'Approve and send' }).click();
    const unticked = await approver.locator('.govuk-error-summary').innerText();
    const confirmation = approver.getByLabel('I understand this will send to');
    const confirmationLabel = await approver.locator('label[for="confirm"]').innerText();
    await confirmation.check();
    await screenshot(approver, 'console-approve');
    await approver.getByRole('button', { name: 'Approve and send' }).click();
    await approver.waitForURL((url: URL) => url.pathname === broadcastPath);
    await expect.poll(async () => (await approver.reload(), approver.locator('.govuk-tag').first().innerText()), { timeout: 20_000 }).toBe('Sent');
    await expectAccessible(approver);
    await screenshot(approver, 'console-broadcast-sent');
    const [download] = await Promise.all([approver.waitForEvent('download'), approver.getByRole('link', { name: 'Download delivery report' }).click()]);
    const report = await readFile(await download.path(), 'utf8');
    await approverContext.close();

    // Assess
    expect(header).toMatch(/Sender, general/);
    expect(header).toContain('Sign out');
    expect(replaced).toBe("It's youth club tonight at 7pm.");
    expect(checkText).toContain("It's youth club tonight at 7pm.");
    expect(checkText).toContain('Mae clwb ieuenctid heno am 7pm.');
    expect(authorSees).toBe(0);
    expect(unticked).toContain('There is a problem');
    expect(confirmationLabel).toBe('I understand this will send to 3 residents');
    const sent = (await client.outbox()).slice(before);
    expect(sent.map((message) => message.to).sort()).toEqual(Object.values(residents).sort());
    expect(sent.find((message) => message.to === residents.welsh)?.body).toContain('Mae clwb ieuenctid heno');
    expect(sent.find((message) => message.to === residents.english)?.body).toContain("It's youth club tonight");
    const reportLines = report.trim().split('\r\n');
    expect(reportLines).toHaveLength(1 + Object.keys(residents).length);
    for (const phone of Object.values(residents)) expect(report).toContain(`*********${phone.slice(-3)}`);
    expect(report).not.toContain(residents.english);
  });

  it('shows a broadcast to nobody outside its department', async () => {
    // Prepare
    const { page } = browser;
    const added = await client.api('POST', '/v1/staff', { email: 'traffic@crier.test', name: 'Tess Traffic', department: 'traffic', role: 'sender' });
    expect(added.status).toBe(201);
    const listed = await client.api('GET', '/v1/broadcasts');
    const id = listed.json.broadcasts[0].id as string;

    // Act
    await signIn(page, 'traffic@crier.test');
    const home = await page.locator('main').innerText();
    const response = await page.goto(`${stack.publicBaseUrl}/console/broadcasts/${id}`);

    // Assess
    expect(home).not.toContain('youth club');
    expect(response?.status()).toBe(404);
    await expectAccessible(page);
  });

  it('sends a person whose session ended to sign in, and back to the page they asked for', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'sender@crier.test');
    await endEverySession();

    // Act
    const visited: string[] = [];
    page.on('request', (request) => {
      if (request.isNavigationRequest()) visited.push(new URL(request.url()).pathname);
    });
    await page.goto(`${stack.publicBaseUrl}/console/broadcasts/new`);
    // The identity provider may still know them (its own session outlives crier's), and then
    // sends them straight back; else it asks for their password again.
    await page.waitForURL((url: URL) => url.pathname === '/console/broadcasts/new' || url.pathname.startsWith('/oidc/interaction/'));
    if (new URL(page.url()).pathname.startsWith('/oidc/')) {
      await page.getByLabel('Email address').fill('sender@crier.test');
      await page.getByLabel('Password').fill(staffPassword);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url: URL) => url.pathname === '/console/broadcasts/new');
    }

    // Assess
    expect(visited.slice(0, 2)).toEqual(['/console/broadcasts/new', '/console/sign-in']);
    expect(visited).toContain('/console/auth/callback');
    expect(await page.getByLabel('Youth updates').isVisible()).toBe(true);
  });

  it('stops a broadcast part-way when a person asks it to', async () => {
    // Prepare: a topic needing no approval, and its send jobs held on the queue while it sends
    const { page } = browser;
    await client.api('POST', '/v1/topics', { id: 'notices', name: 'General notices', keywords: ['NOTICES'], department: 'general' });
    const phones = Array.from({ length: 30 }, (_, index) => `+4477009004${String(index).padStart(2, '0')}`);
    for (const phone of phones) await client.text(phone, 'NOTICES');
    await stack.settled();
    await stack.pauseConsumer('sendBulk');

    // Act
    await signIn(page, 'sender@crier.test');
    await page.getByRole('button', { name: 'New broadcast' }).click();
    await page.getByLabel('General notices').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Message', { exact: true }).fill('The library closes early today.');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Now', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.waitForURL(/\/console\/broadcasts\/[0-9a-z]{26}$/);
    await page.getByRole('button', { name: 'Stop sending' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Stop sending' }).click();
    await expect.poll(async () => (await page.reload(), page.locator('.govuk-tag').first().innerText()), { timeout: 20_000 }).toBe('Stopped');
    stack.resumeConsumer('sendBulk');
    await stack.settled();

    // Assess
    const broadcast = (await client.api('GET', `/v1/broadcasts/${new URL(page.url()).pathname.split('/').pop()}`)).json;
    expect(broadcast.status).toBe('cancelled');
    expect(broadcast.counts.sent).toBe(0);
    expect(broadcast.counts.skippedBy.cancelled).toBe(phones.length);
    expect(broadcast.counts.sent + (broadcast.counts.skippedBy.cancelled ?? 0) + broadcast.counts.failed).toBe(broadcast.counts.targeted);
  });

  it('composes, checks and submits by keyboard alone', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'sender@crier.test');

    // Act: Tab to each control and use it with the keys a keyboard user has
    await tabTo(page, 'New broadcast');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/broadcasts\/new$/);
    await tabTo(page, 'Youth updates');
    await page.keyboard.press('Space');
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/message$/);
    await tabTo(page, 'Message');
    await page.keyboard.type('Youth club is cancelled tonight.');
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/when$/);
    await tabTo(page, 'Now');
    await page.keyboard.press('Space');
    await tabTo(page, 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/check$/);
    await tabTo(page, 'Submit for approval');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/broadcasts\/[0-9a-z]{26}$/);

    // Assess
    expect(await page.locator('main').innerText()).toContain('Youth club is cancelled tonight.');
  });

  it('warns two minutes before an idle session ends, and Stay signed in keeps it', async () => {
    // Prepare: the page's clock under the test's control, from before the page loads
    const { page } = browser;
    await page.clock.install();
    await signIn(page, 'sender@crier.test');
    const dialog = page.getByRole('dialog', { name: 'You will be signed out soon' });
    const hiddenAtFirst = await dialog.isVisible();

    // Act
    await page.clock.fastForward('28:01');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'console-session-warning');
    const keptAlive = page.waitForResponse((response) => response.url().endsWith('/console/session/keep-alive'));
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    const response = await keptAlive;

    // Assess
    expect(hiddenAtFirst).toBe(false);
    expect(response.status()).toBe(204);
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  /** Presses Tab until the focused control's accessible name (label or text) is `name`. */
  async function tabTo(page: Page, name: string): Promise<void> {
    for (let presses = 0; presses < 60; presses += 1) {
      await page.keyboard.press('Tab');
      // Run in the page (a string, as the test is not compiled with the DOM's types).
      const focused = await page.evaluate<string>(`(() => {
        const element = document.activeElement;
        if (!element) return '';
        const labelled = element.id ? document.querySelector('label[for="' + element.id + '"]') : null;
        return ((labelled ? labelled.textContent : element.textContent) || '').trim();
      })()`);
      if (focused === name) return;
    }
    throw new Error(`no control named "${name}" could be reached with Tab on ${page.url()}`);
  }

  /** Ends every console session as an idle timeout would: their last use moved back a day. */
  async function endEverySession(): Promise<void> {
    const { documents } = awsClients();
    const { Items } = await documents.send(new ScanCommand({ TableName: stack.tableName, FilterExpression: '#type = :session', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':session': 'session' } }));
    const yesterday = new Date(Date.now() - 24 * 3_600_000).toISOString();
    for (const item of Items ?? []) {
      await documents.send(new UpdateCommand({ TableName: stack.tableName, Key: { pk: item.pk, sk: item.sk }, UpdateExpression: 'SET lastSeenAt = :at', ExpressionAttributeValues: { ':at': yesterday } }));
    }
  }
});
