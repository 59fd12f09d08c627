import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { browserPerFile, expectAccessible, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The topics pages in Chromium on a local stack: an operator creates a topic with a Welsh alias,
 * a resident texts the Welsh keyword and is subscribed, the topic's page counts them; then the
 * topic is changed and archived. A sender is offered none of it. axe-core on every page.
 */
const authToken = 'console-topics-twilio-token';
const staffPassword = 'topics-staff-password';
const resident = '+447700900351';

describe('the topics pages in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const signIn = (page: Page, email: string) => signInAt(page, stack.publicBaseUrl, email, staffPassword);

  it('an operator creates a topic with a Welsh alias; a resident texts the Welsh keyword and the topic counts them; it is changed, then archived', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'operator@crier.test');

    // Act: the list, then the form sent with a reserved keyword, then put right
    await page.getByRole('link', { name: 'Topics' }).click();
    await page.waitForURL(/\/console\/topics$/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create a topic' }).click();
    await expectAccessible(page);
    await page.getByLabel('Topic ID').fill('bins');
    await page.getByLabel('Name', { exact: true }).fill('Bin collections');
    await page.getByLabel('Keywords', { exact: true }).fill('BINS\nSTOP');
    await page.getByLabel('Welsh name').fill('Casglu biniau');
    await page.getByLabel('Welsh keywords').fill('biniau');
    await page.getByRole('button', { name: 'Create topic' }).click();
    const refused = await page.locator('.govuk-error-summary').innerText();
    await expectAccessible(page);
    await page.locator('.govuk-error-summary a').first().click();
    const focused = await page.locator(':focus').getAttribute('id');
    await page.getByLabel('Keywords', { exact: true }).fill('BINS');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page.waitForURL(/\/console\/topics\/bins$/);
    await expectAccessible(page);

    // Act: a resident texts the Welsh keyword
    const replies = await client.textAndCollect(resident, 'BINIAU');
    await page.reload();
    const topicPage = await page.locator('main').innerText();

    // Act: change the Spanish alias, then archive
    await page.getByRole('link', { name: 'Change Spanish name' }).click();
    await expectAccessible(page);
    await page.getByLabel('Spanish name').fill('Recogida de basura');
    await page.getByLabel('Spanish keywords').fill('BASURA');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/console\/topics\/bins$/);
    const changed = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Archive this topic' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Archive topic' }).click();
    await page.waitForURL(/\/console\/topics\/bins$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Topics' }).click();
    const list = await page.locator('main').innerText();

    // Assess
    expect(refused).toContain('Keyword "STOP" is a reserved command word.');
    expect(focused).toBe('keywords');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('Casglu biniau');
    expect(topicPage).toMatch(/Welsh name\s+Casglu biniau/);
    expect(topicPage).toMatch(/Welsh keywords\s+BINIAU/);
    expect(topicPage).toMatch(/Subscribers\s+1\s/);
    expect(topicPage).toMatch(/By channel[\s\S]*SMS\s+1\s+WhatsApp\s+0\s+Total\s+1\s/);
    expect(topicPage).toMatch(/By language[\s\S]*English\s+0\s+Welsh\s+1\s+Spanish\s+0\s/);
    expect(changed).toMatch(/Spanish keywords\s+BASURA/);
    expect(list).toMatch(/Archived[\s\S]*Bin collections/);
  });

  it('a sender sees their department\'s topics, is offered no change, and is refused the create form as a page', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'sender@crier.test');

    // Act
    await page.goto(`${stack.publicBaseUrl}/console/topics`);
    await expectAccessible(page);
    const offered = await page.getByRole('button', { name: 'Create a topic' }).count();
    const response = await page.goto(`${stack.publicBaseUrl}/console/topics/new`);
    await expectAccessible(page);

    // Assess
    expect(offered).toBe(0);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').innerText()).toContain('A sender key may not create topics.');
  });
});
