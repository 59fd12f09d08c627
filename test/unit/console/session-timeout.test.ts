import { describe, expect, it } from 'vitest';
import { consoleTestApp } from '../../support/console-app.js';

/**
 * WCAG 2.2.1 (Timing adjustable): every signed-in page carries the warning a script shows two
 * minutes before the session would end for want of use, and "Stay signed in" keeps the session.
 */
describe('the warning before a session ends', () => {
  it('is on every signed-in page, with the idle limit (60 minutes in the test app) and the CSRF token the script needs', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');

    // Act
    const html = await (await t.get('/console/', sender)).text();

    // Assess
    expect(html).toMatch(/<dialog class="crier-timeout" id="session-timeout"[^>]*\sdata-idle-minutes="60"/);
    expect(html).toContain(`data-csrf="${sender.csrf}"`);
    expect(html).toContain('You will be signed out soon');
    expect(html).toMatch(/<script type="module" src="\/console\/assets\/session-timeout\.[0-9a-f]+\.js"/);
  });

  it('keeps the session on Stay signed in: its last use moves to now', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const before = (await t.sessions.get(sender.idHash))!.lastSeenAt;
    t.clock.advance(20 * 60_000);

    // Act
    const response = await t.post('/console/session/keep-alive', sender);

    // Assess
    expect(response.status).toBe(204);
    const after = (await t.sessions.get(sender.idHash))!.lastSeenAt;
    expect(Date.parse(after) - Date.parse(before)).toBe(20 * 60_000);
  });

  it('refuses Stay signed in without the CSRF token, and leaves the session as it was', async () => {
    // Prepare
    const t = await consoleTestApp();
    const sender = await t.signIn('sender');
    const before = (await t.sessions.get(sender.idHash))!.lastSeenAt;
    t.clock.advance(5 * 60_000);

    // Act
    const response = await t.post('/console/session/keep-alive', sender, { csrf: 'not-the-token' });

    // Assess
    expect(response.status).toBe(403);
    expect((await t.sessions.get(sender.idHash))!.lastSeenAt).toBe(before);
  });
});

describe('the accessibility statement, open to anyone', () => {
  it.each([
    { case: 'signed in', signedIn: true, showsPerson: true },
    { case: 'signed out', signedIn: false, showsPerson: false },
  ])('shows who is signed in, and Sign out, only when someone is: $case', async ({ signedIn, showsPerson }) => {
    // Prepare
    const t = await consoleTestApp();
    const sender = signedIn ? await t.signIn('sender') : undefined;

    // Act
    const response = await t.get('/console/accessibility', sender);
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(html.includes('action="/console/sign-out"')).toBe(showsPerson);
    expect(html.includes('id="session-timeout"')).toBe(showsPerson);
  });
});
