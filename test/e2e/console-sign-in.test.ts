import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../shared/adapters/aws-clients.js';
import { keys } from '../../shared/adapters/dynamo/keys.js';
import { hashSessionSecret } from '../../shared/staff/session.js';
import { SESSION_COOKIE, SIGN_IN_COOKIE } from '../../console/cookies.js';
import { startLocalStack, type LocalStack } from '../../local/stack.js';
import { ConsoleBrowser, formOf } from '../support/console-browser.js';
import { LocalStackClient } from '../support/local-stack-client.js';

/**
 * Signing in to the console on a local stack, over plain HTTP as a browser would: the console
 * sends the person to the embedded OpenID provider, which shows crier's sign-in page, and back
 * with a code the console exchanges (PKCE, state and nonce checked) for who they are. Then the
 * session: its cookie, idle and absolute expiry, sign-out, CSRF, and a removed person.
 */
describe('console sign-in against the local stack', () => {
  let stack: LocalStack;
  let client: LocalStackClient;

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, twilio: { authToken: 'sign-in-e2e-token' }, sandbox: { failureRate: 0 } });
    client = new LocalStackClient(stack, 'sign-in-e2e-token');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Up to the identity provider's sign-in page for `path`; returns the form's address. */
  async function toSignInPage(browser: ConsoleBrowser, path = '/console/') {
    const visit = await browser.follow(path);
    const html = await visit.response.text();
    return { visit, html, form: formOf(html) };
  }

  /** The whole sign-in, ending on the page the person first asked for. */
  async function signIn(email: string, path = '/console/', browser = new ConsoleBrowser(stack.publicBaseUrl)) {
    const { form } = await toSignInPage(browser, path);
    const landed = await browser.follow(form.action, { form: { email, password: stack.staffPassword } });
    return { browser, landed, html: await landed.response.text() };
  }

  /** Signs in up to the identity provider's answer, and stops before the console reads it. */
  async function callbackOf(browser: ConsoleBrowser, email = 'sender@crier.test'): Promise<string> {
    const { form } = await toSignInPage(browser);
    const posted = await browser.follow(form.action, { form: { email, password: stack.staffPassword }, stopAt: (url) => url.includes('/console/auth/callback') });
    return posted.url.replace(stack.publicBaseUrl, '');
  }

  const shiftSession = (secret: string, change: { createdAt?: string; lastSeenAt?: string }) =>
    awsClients().documents.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.session(hashSessionSecret(secret)),
        UpdateExpression: `SET ${Object.keys(change).map((name) => `${name} = :${name}`).join(', ')}`,
        ExpressionAttributeValues: Object.fromEntries(Object.entries(change).map(([name, value]) => [`:${name}`, value])),
      }),
    );
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

  it('created the three local staff accounts at first start', async () => {
    // Act
    const staff = await client.api('GET', '/v1/staff');

    // Assess
    expect(stack.staffSeeded).toBe(true);
    expect(staff.json.staff.map((person: { email: string; role: string; department: string }) => [person.email, person.role, person.department])).toEqual([
      ['operator@crier.test', 'operator', '*'],
      ['sender@crier.test', 'sender', 'general'],
      ['approver@crier.test', 'approver', 'general'],
    ]);
  });

  it('signs a member of staff in through the identity provider and back to the page they asked for', async () => {
    // Prepare
    const browser = new ConsoleBrowser(stack.publicBaseUrl);

    // Act
    const { visit, html } = await toSignInPage(browser, '/console/?shown=recent');
    const authorization = new URL(visit.hops[1]!.location!);
    const { landed, html: page } = await signIn('sender@crier.test', '/console/?shown=recent', browser);

    // Assess
    expect(visit.hops.slice(0, 2).map((hop) => [hop.status, hop.location?.replace(stack.publicBaseUrl, '')])).toEqual([
      [302, '/console/sign-in?return=%2Fconsole%2F%3Fshown%3Drecent'],
      [302, expect.stringMatching(/^\/oidc\/auth\?/)],
    ]);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(html).toMatch(/<label[^>]*for="email"[^>]*>\s*Email address\s*<\/label>/);
    expect(html).toMatch(/<label[^>]*for="password"[^>]*>\s*Password\s*<\/label>/);
    expect(html).toMatch(/<button[^>]*>\s*Sign in\s*<\/button>/);
    expect(landed.url).toBe(`${stack.publicBaseUrl}/console/?shown=recent`);
    expect(page).toContain('Sam Sender, Sender, general');
    expect(browser.cookie(SESSION_COOKIE)).toMatch(/^[\w-]{43}$/);
    expect(browser.cookie(SIGN_IN_COOKIE)).toBeUndefined();
  });

  it('refuses a wrong password and an unknown email alike, with the error summary linked to the field', async () => {
    // Prepare
    const browser = new ConsoleBrowser(stack.publicBaseUrl);
    const { form } = await toSignInPage(browser);

    // Act
    const wrongPassword = await browser.request(form.action, { form: { email: 'sender@crier.test', password: 'not-the-password' } });
    const wrongPasswordHtml = await wrongPassword.text();
    const unknownEmail = await browser.request(form.action, { form: { email: 'nobody@crier.test', password: stack.staffPassword } });
    const unknownEmailHtml = await unknownEmail.text();
    const empty = await browser.request(form.action, { form: { email: '', password: '' } });
    const emptyHtml = await empty.text();

    // Assess
    for (const [response, html] of [[wrongPassword, wrongPasswordHtml], [unknownEmail, unknownEmailHtml]] as const) {
      expect(response.status).toBe(400);
      expect(html).toContain('govuk-error-summary');
      expect(html).toMatch(/<a href="#email">Enter an email address and password that match<\/a>/);
      expect(html).toMatch(/<title>Error: Sign in/);
      expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    }
    expect(emptyHtml).toMatch(/<a href="#email">Enter your email address<\/a>/);
    expect(emptyHtml).toMatch(/<a href="#password">Enter your password<\/a>/);
  });

  it('refuses a callback whose state was changed, one replayed, and one from another browser, and starts no session', async () => {
    // Prepare
    const tampered = new ConsoleBrowser(stack.publicBaseUrl);
    const tamperedCallback = (await callbackOf(tampered)).replace(/state=[^&]+/, 'state=someone-elses-state');
    const replayed = new ConsoleBrowser(stack.publicBaseUrl);
    const replayedCallback = await callbackOf(replayed);
    const signInCookie = replayed.cookie(SIGN_IN_COOKIE)!;
    const started = new ConsoleBrowser(stack.publicBaseUrl);
    const elsewhereCallback = await callbackOf(started);
    const elsewhere = new ConsoleBrowser(stack.publicBaseUrl);

    // Act
    const afterTampering = await tampered.request(tamperedCallback);
    const first = await replayed.request(replayedCallback);
    replayed.dropCookie(SESSION_COOKIE);
    replayed.setCookie(SIGN_IN_COOKIE, signInCookie);
    const replay = await replayed.request(replayedCallback);
    const fromElsewhere = await elsewhere.request(elsewhereCallback);

    // Assess
    expect(first.status).toBe(302);
    for (const [response, browser] of [[afterTampering, tampered], [replay, replayed], [fromElsewhere, elsewhere]] as const) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Sign-in did not work');
      expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    }
  });

  it('the identity provider refuses an authorization request without PKCE', async () => {
    // Prepare
    const browser = new ConsoleBrowser(stack.publicBaseUrl);
    const query = new URLSearchParams({
      client_id: 'crier-console',
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: `${stack.publicBaseUrl}/console/auth/callback`,
      state: 'no-pkce',
    });

    // Act
    const response = await browser.request(`/oidc/auth?${query}`);

    // Assess
    const back = new URL(response.headers.get('location') ?? '', stack.publicBaseUrl);
    expect(back.pathname).toBe('/console/auth/callback');
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('an idle session and one past its maximum age send the person to sign in and back where they were', async () => {
    // Prepare
    const { browser } = await signIn('approver@crier.test');
    const idleSecret = browser.cookie(SESSION_COOKIE)!;
    await shiftSession(idleSecret, { lastSeenAt: hoursAgo(1) });

    // Act
    const afterIdle = await browser.follow('/console/?after=idle');
    const agedSecret = browser.cookie(SESSION_COOKIE)!;
    await shiftSession(agedSecret, { createdAt: hoursAgo(13), lastSeenAt: new Date().toISOString() });
    const afterMaxAge = await browser.follow('/console/?after=max-age');

    // Assess
    for (const [visit, path] of [[afterIdle, '/console/?after=idle'], [afterMaxAge, '/console/?after=max-age']] as const) {
      expect(visit.hops[0]).toMatchObject({ status: 302, location: `/console/sign-in?return=${encodeURIComponent(path)}` });
      expect(visit.url).toBe(`${stack.publicBaseUrl}${path}`);
      expect(await visit.response.text()).toContain('Alys Approver, Approver, general');
    }
    expect(agedSecret).not.toBe(idleSecret);
    expect(browser.cookie(SESSION_COOKIE)).not.toBe(agedSecret);
  });

  it('signing out ends the session: the old cookie no longer works', async () => {
    // Prepare
    const { browser, html } = await signIn('sender@crier.test');
    const secret = browser.cookie(SESSION_COOKIE)!;
    const { fields } = formOf(html, '/console/sign-out');

    // Act
    const signedOut = await browser.follow('/console/sign-out', { form: { csrf: fields.csrf! } });
    browser.setCookie(SESSION_COOKIE, secret);
    const withOldCookie = await browser.request('/console/');

    // Assess
    expect(signedOut.hops[0]).toMatchObject({ status: 303, location: '/console/signed-out' });
    expect(await signedOut.response.text()).toContain('You have signed out');
    expect(withOldCookie.status).toBe(302);
    expect(withOldCookie.headers.get('location')).toBe('/console/sign-in?return=%2Fconsole%2F');
  });

  it('a new sign-in in the same browser ends the session it had', async () => {
    // Prepare
    const { browser } = await signIn('sender@crier.test');
    const before = browser.cookie(SESSION_COOKIE)!;

    // Act
    const again = await browser.follow('/console/sign-in?return=%2Fconsole%2F');
    const after = browser.cookie(SESSION_COOKIE)!;
    browser.setCookie(SESSION_COOKIE, before);
    const withOldCookie = await browser.request('/console/');

    // Assess
    expect(await again.response.text()).toContain('Sam Sender, Sender, general');
    expect(after).not.toBe(before);
    expect(withOldCookie.status).toBe(302);
  });

  it('refuses a form posted without the CSRF token, or with a wrong one, and the session goes on', async () => {
    // Prepare
    const { browser, html } = await signIn('sender@crier.test');
    const { fields } = formOf(html, '/console/sign-out');

    // Act
    const withoutToken = await browser.request('/console/broadcasts', { form: { anything: 'x' } });
    const signOutWithoutToken = await browser.request('/console/sign-out', { form: {} });
    const signOutWrongToken = await browser.request('/console/sign-out', { form: { csrf: `${fields.csrf!.slice(1)}x` } });
    const withToken = await browser.request('/console/broadcasts', { form: { csrf: fields.csrf! } });
    const stillSignedIn = await browser.request('/console/');

    // Assess
    for (const response of [withoutToken, signOutWithoutToken, signOutWrongToken]) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This form has expired');
    }
    expect(withToken.status).not.toBe(403);
    expect(await stillSignedIn.text()).toContain('Sam Sender, Sender, general');
  });

  it("a removed member of staff's session stops at their next request, and signing in again is refused", async () => {
    // Prepare
    const added = await client.api('POST', '/v1/staff', { email: 'leaver@crier.test', name: 'Lee Leaver', role: 'sender', department: 'general' });
    const { browser, html } = await signIn('leaver@crier.test');

    // Act
    await client.api('DELETE', `/v1/staff/${added.json.id}`);
    const nextRequest = await browser.request('/console/');
    const nextRequestHtml = await nextRequest.text();
    // The identity provider still knows them (its own session): crier no longer does.
    const again = await browser.follow('/console/');
    const againHtml = await again.response.text();

    // Assess
    expect(html).toContain('Lee Leaver, Sender, general');
    expect(nextRequest.status).toBe(403);
    expect(nextRequestHtml).toContain('You no longer have access');
    expect(again.response.status).toBe(403);
    expect(againHtml).toContain('You do not have access');
    expect(againHtml).toContain('leaver@crier.test is not on the staff of Council alerts.');
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });
});
