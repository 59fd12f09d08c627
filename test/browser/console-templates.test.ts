import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { browserPerFile, expectAccessible, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Saved templates in Chromium on a local stack: a sender makes one (the live counter says what it
 * will be charged as while they type), starts a broadcast from it, is stopped until the
 * placeholder has a value, fills it, checks and sends; the broadcast names the template. Then,
 * over the API, a reply to a resident from the same template. axe-core on every page.
 */
const authToken = 'console-templates-twilio-token';
const staffPassword = 'templates-staff-password';
const resident = '+447700900371';

describe('saved templates in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
    expect((await client.api('POST', '/v1/topics', { id: 'roads', name: 'Road news', keywords: ['ROADS'], department: 'general' })).status).toBe(201);
    await client.textAndCollect(resident, 'JOIN ROADS');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const signIn = (page: Page, email: string) => signInAt(page, stack.publicBaseUrl, email, staffPassword);

  it('a sender makes a template, starts a broadcast from it, fills its placeholder and sends it', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'sender@crier.test');

    // Act: a new template, the counter read while typing
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.waitForURL(/\/console\/templates$/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'New template' }).click();
    await expectAccessible(page);
    await page.getByLabel('Name', { exact: true }).fill('Road closed');
    await page.getByLabel('Folder (optional)').fill('Roads');
    await page.getByLabel('Message', { exact: true }).pressSequentially('The ((road)) is closed tonight’');
    await expect.poll(() => page.locator('#message-count').innerText()).toMatch(/^Will be charged as 1 text message/);
    await expect.poll(() => page.locator('#message-warning').isVisible()).toBe(true);
    const warning = await page.locator('#message-warning').innerText();
    // Written again without the curly apostrophe: the warning goes, and the message stays GSM-7.
    await page.getByLabel('Message', { exact: true }).fill('The ((road)) is closed tonight.');
    await expect.poll(() => page.locator('#message-warning').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.waitForURL(/\/console\/templates\/[^/]+$/);
    await expectAccessible(page);
    const templatePage = await page.locator('main').innerText();

    // Act: a broadcast from it, Continue with the placeholder left, then filled
    await page.getByRole('button', { name: 'New broadcast from this template' }).click();
    await page.getByLabel('Road news').check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/message$/);
    const prefilled = await page.getByLabel('Message', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Continue' }).click();
    const refused = await page.locator('.govuk-error-summary').innerText();
    await expectAccessible(page);
    await page.getByLabel('((road))').fill('A470');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/when$/);
    await expectAccessible(page);
    await page.getByLabel('Now', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/console\/broadcasts\/new\/check$/);
    await expectAccessible(page);
    const check = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Send now' }).click();
    await page.waitForURL(/\/console\/broadcasts\/[^/]+$/);
    await expectAccessible(page);
    const broadcastPage = await page.locator('main').innerText();

    // Assess
    expect(warning).toContain('’');
    expect(templatePage).toContain('Will be charged as 1 text message');
    expect(templatePage).toMatch(/Created it/);
    expect(prefilled).toBe('The ((road)) is closed tonight.');
    expect(refused).toContain('Enter a value for ((road))');
    expect(check).toContain('The A470 is closed tonight.');
    expect(broadcastPage).toContain('From the template Road closed, version 1.');
    await expect.poll(async () => (await client.outbox(resident)).map((message) => message.body.split('\n')[0])).toContain('The A470 is closed tonight.');
  });

  it('replies to a resident over the API with a saved template instead of a body', async () => {
    // Prepare
    const made = await client.api('POST', '/v1/templates', { name: 'Thanks', body: 'Thank you, we are looking into it.' });
    await client.textAndCollect(resident, 'The lights on the A470 are out');
    const entry = await vi.waitFor(async () => {
      const [first] = (await client.api('GET', `/v1/inbox?from=${encodeURIComponent(resident)}`)).json.messages;
      expect(first).toBeDefined();
      return first as { id: string };
    });

    // Act
    const replied = await client.api('POST', `/v1/inbox/${entry.id}/reply`, { templateId: made.json.id });

    // Assess
    expect(made.status).toBe(201);
    expect(replied.status).toBe(201);
    expect(replied.json.replies.at(-1).body).toBe('Thank you, we are looking into it.');
    await expect.poll(async () => (await client.outbox(resident)).map((message) => message.body)).toContain('Thank you, we are looking into it.');
  });
});
