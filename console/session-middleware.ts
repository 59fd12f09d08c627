import type { Context, MiddlewareHandler } from 'hono';
import { hashSessionSecret, needsTouch, sessionState } from '../shared/staff/session.js';
import type { ConsoleEnv } from './console-env.js';
import { clearCookie, readCookie, SESSION_COOKIE } from './cookies.js';
import { carriesCsrfToken } from './csrf.js';
import type { ConsoleDependencies } from './dependencies.js';
import { messagePage } from './page.js';
import { principalOf } from './person.js';
import { signInPath } from './sign-in-paths.js';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every page behind sign-in: finds the person's session from the cookie, ends it when it has
 * idled or aged out (the person is sent to sign in, and back to where they were), refuses a form
 * posted without the session's CSRF token, and puts the person on the context.
 */
export function requirePerson(deps: ConsoleDependencies): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const secret = readCookie(c, SESSION_COOKIE);
    const now = deps.broadcasts.clock.now();
    const idHash = secret ? hashSessionSecret(secret) : undefined;
    const session = idHash ? await deps.sessions.get(idHash) : undefined;
    if (!session || !idHash) return toSignIn(c);
    if (sessionState(session, now, deps.sessionPolicy) !== 'active') {
      await deps.sessions.delete(idHash);
      return toSignIn(c);
    }
    const staff = await deps.broadcasts.stores.staff.get(session.staffId);
    if (!staff || staff.removedAt !== undefined) {
      await deps.sessions.delete(idHash);
      clearCookie(c, SESSION_COOKIE);
      return messagePage(c, 403, 'You no longer have access', [`Ask an operator of ${deps.serviceName} if you think you should.`]);
    }
    // Every method but reading ones: today the console takes only GET and POST, and a method added later is covered.
    if (!SAFE_METHODS.has(c.req.method) && !(await carriesCsrfToken(c, session.csrfToken))) {
      return messagePage(c, 403, 'This form has expired', ['Go back, reload the page and try again.']);
    }
    if (needsTouch(session, now)) await deps.sessions.touch(idHash, now.toISOString());
    c.set('person', { staff, session, principal: principalOf(staff) });
    await next();
  };
}

/**
 * Back to sign in, and then back here: a page asked for by GET returns to itself; a form posted
 * after the session ended returns to the page the form was on (its data cannot be trusted now).
 */
function toSignIn(c: Context<ConsoleEnv>) {
  clearCookie(c, SESSION_COOKIE);
  // Only a page the person opened starts a sign-in. An image, a script's fetch or the progress
  // poll is told 401: sending it to the identity provider would start a second sign-in that
  // replaces the one the person is in the middle of (the browser holds one sign-in cookie).
  const destination = c.req.header('sec-fetch-dest');
  if (destination !== undefined && destination !== 'document') return c.text('Sign in first.', 401);
  const here = new URL(c.req.url);
  const returnTo = c.req.method === 'GET' ? `${here.pathname}${here.search}` : here.pathname;
  return c.redirect(signInPath(returnTo), 302);
}


/**
 * For a page open to anyone (the accessibility statement): shows who is signed in, if anyone,
 * with Sign out as every other page does; never sends anyone to sign in and changes nothing.
 */
export function notePerson(deps: ConsoleDependencies): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const secret = readCookie(c, SESSION_COOKIE);
    const session = secret ? await deps.sessions.get(hashSessionSecret(secret)) : undefined;
    if (session && sessionState(session, deps.broadcasts.clock.now(), deps.sessionPolicy) === 'active') {
      const staff = await deps.broadcasts.stores.staff.get(session.staffId);
      if (staff && staff.removedAt === undefined) c.set('person', { staff, session, principal: principalOf(staff) });
    }
    await next();
  };
}
