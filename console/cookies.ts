import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The console's cookies. HttpOnly (no script reads them), Secure (Chromium and Firefox keep Secure
 * cookies on http://localhost, so the local stack needs no exception), SameSite=Lax: the browser
 * sends them when a person follows a link or returns from the identity provider, never with a
 * form posted from another site. Scoped to /console.
 */
const options = { path: '/console', httpOnly: true, secure: true, sameSite: 'Lax' } as const;

export const SESSION_COOKIE = 'crier_session';
/** Ties a sign-in under way to the browser that started it, so nobody can finish it in another's. */
export const SIGN_IN_COOKIE = 'crier_sign_in';

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}

export function writeCookie(c: Context, name: string, value: string, maxAgeSeconds: number): void {
  setCookie(c, name, value, { ...options, maxAge: maxAgeSeconds });
}

export function clearCookie(c: Context, name: string): void {
  deleteCookie(c, name, options);
}
