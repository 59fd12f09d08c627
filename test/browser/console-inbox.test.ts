import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { readFile } from 'node:fs/promises';
import { browserPerFile, expectAccessible, screenshot, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The inbox in a real browser on a local stack: a resident texts a question, a sender sees the
 * count in the navigation, opens the conversation, types a Reply and sends it (the sandbox
 * outbox holds it, to that resident), marks it handled and the count drops. axe-core on every page.
 */
const authToken = 'console-inbox-twilio-token';
const staffPassword = 'inbox-staff-password';
const resident = '+447700900351';
const question = 'Is the youth club open on Saturday?';
const secondResident = '+447700900352';
const secondQuestion = 'Can I bring my dog to the club?';
const note = 'Asked the club leader about dogs.';

describe('the inbox in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'clubs', name: 'Youth clubs', keywords: ['CLUBS'], department: 'general' })).status).toBe(201);
    await client.text(resident, 'JOIN CLUBS');
    await client.text(resident, question);
    await stack.settled();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The navigation's Inbox link, as a screen reader names it: "Inbox 1 unhandled", or "Inbox". */
  const inboxLink = (page: Page) => page.getByRole('navigation').getByRole('link', { name: /^Inbox/ });

  it('a sender replies to a resident from the conversation and marks it handled', async () => {
    // Prepare
    const { page } = browser;
    await page.goto(`${stack.publicBaseUrl}/console/inbox`);
    await page.getByLabel('Email address').fill('sender@crier.test');
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url: URL) => url.pathname === '/console/inbox');

    // Act
    const countBefore = (await inboxLink(page).innerText()).replace(/\s+/g, ' ').trim();
    await expectAccessible(page);
    await page.getByRole('link', { name: question }).click();
    await page.waitForURL(/\/console\/inbox\/[A-Za-z0-9_-]{22}$/);
    await expectAccessible(page);
    await page.getByLabel('Reply', { exact: true }).fill('Yes, from 6pm to 9pm.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.waitForURL(/\?sent=1$/);
    await expectAccessible(page);
    await screenshot(page, 'console-inbox-conversation');
    await page.getByRole('button', { name: 'Mark as handled' }).click();
    await page.waitForURL(/\/console\/inbox\/[A-Za-z0-9_-]{22}$/);
    const countAfter = (await inboxLink(page).innerText()).replace(/\s+/g, ' ').trim();
    await page.getByRole('link', { name: 'Back' }).click();
    await page.waitForURL((url: URL) => url.pathname === '/console/inbox');
    await expectAccessible(page);
    const handledTable = await page.getByRole('table', { name: 'Handled' }).innerText();

    // Assess
    expect(countBefore).toBe('Inbox 1 unhandled');
    expect(countAfter).toBe('Inbox');
    await expect.poll(async () => (await client.outbox(resident)).map((message) => message.body)).toContain('Yes, from 6pm to 9pm.');
    expect(handledTable).toContain(question);
  });

  it('a sender assigns a message to themselves, leaves a note, filters "Assigned to you" and downloads the CSV', async () => {
    // Prepare
    const { page } = browser;
    await client.text(secondResident, secondQuestion);
    await stack.settled();
    await signInAt(page, stack.publicBaseUrl, 'sender@crier.test', staffPassword, '/console/inbox');

    // Act
    await page.getByRole('link', { name: secondQuestion }).click();
    await page.waitForURL(/\/console\/inbox\/[A-Za-z0-9_-]{22}$/);
    const mine = await page.locator('#assignee option', { hasText: '(you)' }).getAttribute('value');
    await page.getByLabel('Assign to').selectOption(mine ?? '');
    await page.getByRole('button', { name: 'Assign' }).click();
    await page.getByLabel('Note for colleagues').fill(note);
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/#notes$/);
    await expectAccessible(page);
    const conversation = await page.getByRole('main').innerText();
    await page.goto(`${stack.publicBaseUrl}/console/inbox`);
    await page.getByLabel('Assigned to you').check();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/assignedTo=me/);
    await expectAccessible(page);
    const filtered = await page.getByRole('main').innerText();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download these messages as CSV' }).click()]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');

    // Assess
    expect(conversation).toContain(note);
    expect(conversation).toMatch(/Assigned to\s+\S+/);
    expect(conversation).not.toMatch(/Assigned to\s+Nobody/);
    expect(filtered).toContain(secondQuestion);
    expect(filtered).not.toContain(question);
    expect(csv).toContain(secondQuestion);
    expect(csv).toContain('*********352');
    expect(csv).not.toContain(secondResident);
    expect(csv).not.toContain(question);
  });

  it('an operator finds the assignment and the note in the audit log, without the resident\'s words', async () => {
    // Prepare
    const { page } = browser;
    await signInAt(page, stack.publicBaseUrl, 'operator@crier.test', staffPassword, '/console/audit');
    await expectAccessible(page);

    // Act
    await page.getByLabel('What').selectOption('inbox.assign');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=inbox\.assign/);
    await expectAccessible(page);
    const records = await page.getByRole('main').getByRole('heading', { level: 2 }).allInnerTexts();
    const text = await page.getByRole('main').innerText();

    // Assess
    expect(records).toEqual(['Assigned a message']);
    expect(text).toMatch(/Assigned to\s+—/);
    expect(text).not.toContain(secondQuestion);
    expect(text).not.toContain(note);
  });
});
