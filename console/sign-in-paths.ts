// The sign-in page's addresses, apart from its routes: the session middleware sends people there, and must not import a page.

/** Where to send someone to sign in, and bring them back to `returnTo` after. */
export function signInPath(returnTo: string): string {
  return `/console/sign-in?return=${encodeURIComponent(returnTo)}`;
}

/**
 * Only a path of the console itself: anything else (another site, `//host`, a backslash trick)
 * would make sign-in an open redirect, and a control character or space (which browsers strip or
 * which cannot go in a Location header) could turn it into one or break the redirect.
 */
export function safeReturnPath(value: string | undefined): string {
  if (!value || value.length > MAX_RETURN_PATH || !value.startsWith('/console/') || value.includes('//') || value.includes('\\')) return '/console/';
  if (/[\u0000-\u0020\u007f]/.test(value)) return '/console/';
  return value;
}

/** Longer than any console address; a longer one is someone's experiment, not a page. */
const MAX_RETURN_PATH = 1024;
