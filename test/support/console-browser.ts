/**
 * A browser without a window, for driving the console's sign-in over plain HTTP: fetch with
 * redirects followed by hand (so each hop can be looked at) and a small cookie jar.
 *
 * The jar keeps cookies by name and path and sends those whose path covers the request. It does
 * not hold back `Secure` cookies over http://localhost: Chromium and Firefox send them there too
 * (localhost is a secure context), and the console's cookies are always Secure.
 */
export interface Hop {
  status: number;
  url: string;
  location: string | undefined;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export class ConsoleBrowser {
  private readonly jar = new Map<string, StoredCookie>();

  constructor(readonly origin: string) {}

  /** One request, no redirect followed; cookies sent from and stored into the jar. */
  async request(target: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(target, this.origin);
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader(url.pathname);
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) this.store(line, url.pathname);
    return response;
  }

  /**
   * Follows redirects (GET after each, as a browser does after 302 and 303) until a page answers,
   * or until a redirect points at an address `stopAt` picks (not asked for: `url` is that address).
   */
  async follow(
    target: string,
    init: { method?: string; form?: Record<string, string>; stopAt?: (url: string) => boolean } = {},
  ): Promise<{ response: Response; url: string; hops: Hop[] }> {
    const hops: Hop[] = [];
    let url = new URL(target, this.origin).toString();
    let response = await this.request(url, init);
    for (let redirects = 0; response.status >= 300 && response.status < 400; redirects += 1) {
      if (redirects > 10) throw new Error(`more than 10 redirects from ${target}`);
      const location = response.headers.get('location') ?? undefined;
      hops.push({ status: response.status, url, location });
      if (!location) break;
      await response.body?.cancel();
      url = new URL(location, url).toString();
      if (init.stopAt?.(url)) return { response, url, hops };
      response = await this.request(url);
    }
    hops.push({ status: response.status, url, location: undefined });
    return { response, url, hops };
  }

  cookie(name: string): string | undefined {
    return [...this.jar.values()].find((cookie) => cookie.name === name)?.value;
  }

  /** Puts a cookie back (an old session's, say) or in (one copied from another browser). */
  setCookie(name: string, value: string, path = '/console'): void {
    this.jar.set(`${name};${path}`, { name, value, path });
  }

  dropCookie(name: string): void {
    for (const [key, cookie] of this.jar) if (cookie.name === name) this.jar.delete(key);
  }

  private cookieHeader(path: string): string {
    return [...this.jar.values()]
      .filter((cookie) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private store(line: string, requestPath: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const attribute = (key: string) =>
      attributes.find((part) => part.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? requestPath.slice(0, requestPath.lastIndexOf('/')) ?? '/';
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const gone = (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
    if (gone || value === '') this.jar.delete(`${name};${path || '/'}`);
    else this.jar.set(`${name};${path || '/'}`, { name, value, path: path || '/' });
  }
}

/** A form's action and its hidden inputs, from a page's HTML (the first form with that action, or the first form). */
export function formOf(html: string, action?: string): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => action === undefined || match[1] === action);
  if (!form) throw new Error(`no form${action ? ` posting to ${action}` : ''} on the page`);
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1];
    if (name && /\btype="hidden"/.test(input[0])) fields[name] = decodeEntities(value ?? '');
  }
  return { action: decodeEntities(form[1]!), fields };
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
