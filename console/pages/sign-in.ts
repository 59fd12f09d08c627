import { Hono } from 'hono';
import { identifyStaff } from '../../shared/staff/sign-in.js';
import { hashSessionSecret, newSession, sameSecret, sessionExpiresAt } from '../../shared/staff/session.js';
import { logger } from '../../shared/runtime/logger.js';
import type { ConsoleEnv } from '../console-env.js';
import { clearCookie, readCookie, SESSION_COOKIE, SIGN_IN_COOKIE, writeCookie } from '../cookies.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page } from '../page.js';
import { carriesCsrfToken } from '../csrf.js';
import { safeReturnPath } from '../sign-in-paths.js';

/** A sign-in must come back within this long. */
const SIGN_IN_ATTEMPT_SECONDS = 10 * 60;

/**
 * Sign-in with OpenID Connect, server side: the authorization code flow with PKCE. The person is
 * sent to the identity provider; what must match on their return (state, nonce, PKCE verifier)
 * is kept in the table under the state, usable once, and a cookie ties it to this browser.
 */
export function signInRoutes(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();

  routes.get('/sign-in', async (c) => {
    const now = deps.broadcasts.clock.now();
    const { url, attempt } = await deps.identityProvider.authorizationRequest(safeReturnPath(c.req.query('return')), now);
    await deps.signInAttempts.put(attempt, new Date(now.getTime() + SIGN_IN_ATTEMPT_SECONDS * 1000));
    writeCookie(c, SIGN_IN_COOKIE, hashSessionSecret(attempt.state), SIGN_IN_ATTEMPT_SECONDS);
    return c.redirect(url.toString(), 302);
  });

  routes.get('/auth/callback', async (c) => {
    const state = c.req.query('state');
    const boundToBrowser = state !== undefined && sameSecret(readCookie(c, SIGN_IN_COOKIE), hashSessionSecret(state));
    clearCookie(c, SIGN_IN_COOKIE);
    const attempt = state && boundToBrowser ? await deps.signInAttempts.take(state) : undefined;
    if (!attempt) return signInFailed(c, 'the sign-in was not started in this browser, or took longer than 10 minutes');
    const callbackUrl = new URL(`${deps.publicBaseUrl}${c.req.path}${new URL(c.req.url).search}`);
    let claims;
    try {
      claims = await deps.identityProvider.completeSignIn(callbackUrl, attempt);
    } catch (error) {
      logger.warn('sign-in callback refused', { reason: (error as Error).message });
      return signInFailed(c, 'the identity provider’s answer could not be checked');
    }
    const outcome = await identifyStaff(deps.broadcasts, claims, deps.firstOperatorEmail);
    if (outcome.kind === 'unknown') {
      return messagePage(c, 403, 'You do not have access', [
        `${outcome.email ?? 'This account'} is not on the staff of ${deps.serviceName}.`,
        'Ask an operator to add you, then sign in again.',
      ]);
    }
    // A new sign-in replaces whatever session this browser had: never two live at once for one
    // cookie jar, and a session fixed in the browser beforehand is not the one that signs in.
    const previous = readCookie(c, SESSION_COOKIE);
    if (previous) await deps.sessions.delete(hashSessionSecret(previous));
    const now = deps.broadcasts.clock.now();
    const { session, secret } = newSession(outcome.staff.id, now);
    await deps.sessions.create(session, sessionExpiresAt(session, deps.sessionPolicy));
    writeCookie(c, SESSION_COOKIE, secret, deps.sessionPolicy.maxHours * 3600);
    return c.redirect(attempt.returnTo, 302);
  });

  // Ends crier's session; the form carries the CSRF token like every other (checked here, as
  // this route is outside requirePerson so that an ended session can still sign out cleanly).
  routes.post('/sign-out', async (c) => {
    const secret = readCookie(c, SESSION_COOKIE);
    if (secret) {
      const idHash = hashSessionSecret(secret);
      const session = await deps.sessions.get(idHash);
      // A live session is ended only by its own form (another site cannot sign a person out);
      // one already gone needs no token: there is nothing left to protect.
      if (session && !(await carriesCsrfToken(c, session.csrfToken))) return messagePage(c, 403, 'This form has expired', ['Go back, reload the page and try again.']);
      await deps.sessions.delete(idHash);
    }
    clearCookie(c, SESSION_COOKIE);
    return c.redirect('/console/signed-out', 303);
  });

  routes.get('/signed-out', (c) => page(c, 'signed-out.njk', { pageTitle: 'You have signed out' }));

  return routes;
}

function signInFailed(c: Parameters<typeof messagePage>[0], why: string) {
  return messagePage(c, 400, 'Sign-in did not work', [`We could not sign you in: ${why}.`], { href: '/console/sign-in', text: 'Sign in again' });
}

