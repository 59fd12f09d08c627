import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { browserPerFile, expectAccessible, signInAt } from '../support/browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * The team in Chromium on a local stack: an operator invites a sender of department traffic, who
 * signs in at the embedded identity provider (it accepts every current member of staff with the
 * stack's staff password) and sees their own department's broadcasts only; a sender changed in
 * place; a department's operator who sees their department's team only; limits and usage with
 * its CSV; Operations' dead letters redriven after a confirmation, and a reply's wording
 * previewed. axe-core on every page.
 */
const authToken = 'console-team-twilio-token';
const staffPassword = 'team-staff-password';

describe('the team in Chromium', { timeout: 120_000 }, () => {
  const browser = browserPerFile();
  let stack: LocalStack;
  let client: LocalStackClient;
  let roadsBroadcast: string;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken }, sandbox: { failureRate: 0 }, staffPassword, settings: { quietHours: 'off' } });
    client = new LocalStackClient(stack, authToken);
    // One broadcast in each department, made with the operator key: who sees which is the point.
    for (const [id, department, body] of [
      ['notices', 'general', 'General notice: the council offices close early on Friday.'],
      ['roads', 'traffic', 'Traffic notice: the A470 is closed at Storey Arms.'],
    ] as const) {
      expect((await client.api('POST', '/v1/topics', { id, name: `${department} news`, keywords: [id.toUpperCase()], department })).status).toBe(201);
      // A resident on roads: traffic's usage then has a confirmation and a broadcast message.
      if (id === 'roads') {
        await client.text('+447700900601', 'JOIN ROADS');
        await stack.settled();
      }
      const made = await client.api('POST', '/v1/broadcasts', { topics: [id], body });
      expect(made.status).toBe(201);
      if (id === 'roads') roadsBroadcast = made.json.id;
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const signIn = (page: Page, email: string) => signInAt(page, stack.publicBaseUrl, email, staffPassword);

  it('an operator invites a sender of traffic, who signs in and sees only their department', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'operator@crier.test');

    // Act: the operator opens Team, tries an empty invitation, then invites Tara
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.waitForURL(/\/console\/team$/);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Invite a member of staff' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const refused = await page.locator('.govuk-error-summary').innerText();
    await expectAccessible(page);
    await page.getByLabel('Email address').fill('Tara.Traffic@crier.test');
    await page.getByLabel('Name').fill('Tara Traffic');
    await page.getByLabel('Department').fill('traffic');
    await page.getByLabel('Sender').check();
    await page.getByLabel('Live', { exact: true }).check();
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.waitForURL(/\/console\/team\?added=/);
    const banner = await page.locator('.govuk-notification-banner').innerText();
    const team = await page.locator('table').innerText();
    await expectAccessible(page);

    // Act: Tara signs in, in a browser of her own
    const taraContext = await browser.browser.newContext();
    const tara = await taraContext.newPage();
    await signIn(tara, 'tara.traffic@crier.test');
    const header = await tara.locator('header').innerText();
    const home = await tara.locator('main').innerText();
    await expectAccessible(tara);
    const teamForTara = await tara.goto(`${stack.publicBaseUrl}/console/team`);
    await taraContext.close();

    // Assess
    expect(refused).toContain('Enter their email address');
    expect(banner).toContain('Tara Traffic was added as a sender in department traffic.');
    expect(team).toMatch(/Tara Traffic\s+tara\.traffic@crier\.test\s+traffic\s+Sender\s+Live\s+Current/);
    expect(header).toMatch(/Tara Traffic, Sender, traffic/);
    expect(header).not.toContain('Team');
    expect(home).toContain('Traffic notice: the A470 is closed');
    expect(home).not.toContain('General notice');
    expect(teamForTara?.status()).toBe(403);
  });

  it('an operator removes someone after a confirmation, and they can no longer sign in', async () => {
    // Prepare
    const { page } = browser;
    const added = await client.api('POST', '/v1/staff', { email: 'leaving@crier.test', name: 'Lee Leaving', department: 'traffic', role: 'viewer' });
    expect(added.status).toBe(201);
    await signIn(page, 'operator@crier.test');

    // Act
    await page.goto(`${stack.publicBaseUrl}/console/team`);
    await page.getByRole('link', { name: 'Remove Lee Leaving' }).click();
    await expectAccessible(page);
    const question = await page.locator('h1').innerText();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.waitForURL(/\/console\/team\?removed=/);
    const banner = await page.locator('.govuk-notification-banner').innerText();
    const row = await page.getByRole('row', { name: /Lee Leaving/ }).innerText();
    await expectAccessible(page);
    const leaverContext = await browser.browser.newContext();
    const leaver = await leaverContext.newPage();
    await leaver.goto(`${stack.publicBaseUrl}/console/`);
    await leaver.getByLabel('Email address').fill('leaving@crier.test');
    await leaver.getByLabel('Password').fill(staffPassword);
    await leaver.getByRole('button', { name: 'Sign in' }).click();
    const leaverRefused = await leaver.locator('.govuk-error-summary').innerText();
    const leaverUrl = new URL(leaver.url()).pathname;
    await leaverContext.close();

    // Assess
    expect(question).toBe('Remove Lee Leaving from the team?');
    expect(banner).toContain('Lee Leaving was removed. They can no longer sign in.');
    expect(row).toMatch(/Removed/);
    expect(leaverUrl).toMatch(/^\/oidc\/interaction\//);
    expect(leaverRefused).toContain('Enter an email address and password that match');
  });

  it('an operator creates an API key, seen once, that works until it is revoked', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'operator@crier.test');

    // Act
    await page.goto(`${stack.publicBaseUrl}/console/team`);
    await page.getByRole('link', { name: 'API keys' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create an API key' }).click();
    await page.getByLabel('Name').fill('Traffic control room');
    await page.getByLabel('Viewer').check();
    await page.getByLabel('Department').fill('traffic');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expectAccessible(page);
    const secret = await page.getByLabel('API key').inputValue();
    const whileValid = await client.api('GET', '/v1/topics', undefined, secret);
    await page.getByRole('link', { name: 'Back to API keys' }).click();
    const listed = await page.locator('main').innerText();
    await page.getByRole('link', { name: 'Revoke Traffic control room' }).click();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.waitForURL(/\/console\/keys\?revoked=/);
    await expectAccessible(page);
    const afterRevoking = await client.api('GET', '/v1/topics', undefined, secret);

    // Assess
    expect(secret).toMatch(/^crier_live_/);
    expect(whileValid.status).toBe(200);
    expect(whileValid.json.topics.map((topic: { id: string }) => topic.id)).toEqual(['roads']);
    expect(listed).toContain('Traffic control room');
    expect(listed).not.toContain(secret);
    expect(afterRevoking.status).toBe(401);
  });

  it("an operator changes a sender's role in place; a department's operator sees only their department's team", async () => {
    // Prepare: Sion, a sender of traffic, and Tom, an operator of traffic alone
    const { page } = browser;
    for (const [email, name, role] of [['sion.sender@crier.test', 'Sion Sender', 'sender'], ['tom.traffic@crier.test', 'Tom Traffic', 'operator']] as const) {
      expect((await client.api('POST', '/v1/staff', { email, name, department: 'traffic', role })).status).toBe(201);
    }
    await signIn(page, 'operator@crier.test');

    // Act: the operator changes Sion to an approver
    await page.goto(`${stack.publicBaseUrl}/console/team`);
    await page.getByRole('link', { name: 'Change Sion Sender' }).click();
    await expectAccessible(page);
    await page.getByLabel('Approver').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/console\/team\?changed=/);
    const banner = await page.locator('.govuk-notification-banner').innerText();
    const sionRow = await page.getByRole('row', { name: /Sion Sender/ }).innerText();

    // Act: Tom, traffic's operator, opens Team in a browser of his own
    const tomContext = await browser.browser.newContext();
    const tom = await tomContext.newPage();
    await signIn(tom, 'tom.traffic@crier.test');
    await tom.getByRole('link', { name: 'Team', exact: true }).click();
    await tom.waitForURL(/\/console\/team$/);
    await expectAccessible(tom);
    const tomsTeam = await tom.locator('main').innerText();
    await tomContext.close();

    // Assess
    expect(banner).toContain('Sion Sender is now an approver in department traffic.');
    expect(sionRow).toMatch(/Sion Sender\s+sion\.sender@crier\.test\s+traffic\s+Approver/);
    expect(tomsTeam).toContain('You manage the team of department traffic');
    expect(tomsTeam).toContain('Sion Sender');
    expect(tomsTeam).toContain('This is you');
    expect(tomsTeam).not.toContain('operator@crier.test');
    expect(tomsTeam).not.toContain('approver@crier.test');
  });

  it('an operator reads limits and usage by month, and downloads it as CSV', async () => {
    // Prepare
    const { page } = browser;
    await signIn(page, 'operator@crier.test');

    // Act
    await page.goto(`${stack.publicBaseUrl}/console/team`);
    await page.getByRole('link', { name: 'Limits and usage' }).click();
    await page.getByLabel('Department').selectOption('traffic');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('link', { name: 'By month' }).click();
    await expectAccessible(page);
    const usage = await page.locator('main').innerText();
    const href = await page.getByRole('link', { name: 'Download this as a spreadsheet (CSV)' }).getAttribute('href');
    const csv = await page.request.get(`${stack.publicBaseUrl}${href}`);

    // Assess
    expect(usage).toContain('Limits of department traffic');
    expect(usage).toMatch(/Total\s+2\s+1\s+£0\.\d+\s+£0\.\d+/);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[1]).toMatch(/^traffic,\d{4}-\d{2},2,1,[\d.]+,[\d.]+,GBP$/);
  });

  it('an operator redrives dead letters after a confirmation, and previews a reply as a resident reads it', async () => {
    // Prepare: a batch of the roads broadcast set aside on the bulk lane
    const { page } = browser;
    const job = { kind: 'broadcast', broadcastId: roadsBroadcast, topicId: 'roads', recipients: [{ phone: '+447700900777', channel: 'sms' }] };
    await awsClients().sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.sendBulk.deadLetterUrl, MessageBody: JSON.stringify(job) }));
    await signIn(page, 'operator@crier.test');

    // Act: Operations, Dead letters, Redrive (a confirmation first)
    await page.getByRole('link', { name: 'Operations', exact: true }).click();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await expectAccessible(page);
    const parked = await page.locator('main').innerText();
    await page.getByRole('link', { name: 'Redrive the dead letters of bulk sending' }).click();
    await expectAccessible(page);
    const question = await page.locator('h1').innerText();
    await page.getByRole('button', { name: 'Redrive', exact: true }).click();
    await page.waitForURL(/\/console\/operations\/dead-letters\?queue=sendBulk/);
    const result = await page.locator('.govuk-notification-banner').innerText();
    await expectAccessible(page);

    // Act: Reply wording, HELP in English, previewed
    await page.goto(`${stack.publicBaseUrl}/console/operations`);
    await page.getByRole('link', { name: 'Reply wording' }).click();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Change HELP (en)' }).click();
    await page.getByLabel('Wording').fill('Texts from {{serviceName}}: call {{contact}} for help.');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expectAccessible(page);
    const preview = await page.locator('.crier-message-preview').innerText();
    const charged = await page.locator('main').innerText();

    // Assess
    expect(parked).toContain(`A batch of broadcast ${roadsBroadcast} to 1 recipient of topic roads`);
    expect(parked).not.toContain('7700900777');
    expect(question).toBe('Redrive the dead letters of bulk sending?');
    expect(result).toContain('1 job moved back onto bulk sending to be tried again');
    expect(preview).toMatch(/^Texts from .+: call .+ for help\. Reply STOP to stop\.$/);
    expect(charged).toContain('Will be charged as 1 text message');
    expect(await client.api('GET', '/v1/replies').then((replies) => replies.json.replies.find((reply: { language: string; id: string }) => reply.language === 'en' && reply.id === 'help').override)).toBeUndefined();
  });
});
