import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

/**
 * The browser kit for the console's tests: Debian's Chromium driven by playwright-core (which
 * brings no browser of its own; `.ci/run` installs the package when it is missing), one browser
 * per test file (starting one takes seconds on these machines), a fresh context per test so no
 * cookie or session leaks from one test into the next.
 */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Headless, and quiet: no GPU, no QUIC, no first-run, sync or component updates, no background
 * fetches. A test must only ever talk to the stack it started. `--no-sandbox` because CI runs as
 * root, where Chromium's sandbox refuses to start.
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
}

export interface BrowserPerFile {
  /** The test's page, in its own fresh context. */
  readonly page: Page;
  readonly context: BrowserContext;
  readonly browser: Browser;
}

/**
 * Registers the hooks: one Chromium for the file (beforeAll/afterAll), a fresh context and page
 * for each test (beforeEach/afterEach). Call once at the top of a test file or describe block.
 */
export function browserPerFile(contextOptions: Parameters<Browser['newContext']>[0] = {}): BrowserPerFile {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser!.newContext(contextOptions);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    page = undefined;
  });
  const missing = (what: string) => new Error(`no ${what}: browserPerFile() gives one only inside a test`);
  return {
    get page() {
      if (!page) throw missing('page');
      return page;
    },
    get context() {
      if (!context) throw missing('context');
      return context;
    },
    get browser() {
      if (!browser) throw missing('browser');
      return browser;
    },
  };
}

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: what the console promises (axe-core's tag names). */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/** One failed rule, cut down to what a person fixing it needs, so `toEqual([])` prints a readable diff. */
export interface AccessibilityViolation {
  rule: string;
  impact: string | undefined;
  help: string;
  helpUrl: string;
  /** Each failing element: its CSS selector and axe's summary of what to fix. */
  elements: { target: string; fix: string }[];
}

/** Runs axe-core in the page against the WCAG 2.2 A and AA rules; an accessible page gives []. */
export async function checkAccessibility(page: Page): Promise<AccessibilityViolation[]> {
  const results = await new AxeBuilder({ page }).withTags([...wcagTags]).analyze();
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? undefined,
    help: violation.help,
    helpUrl: violation.helpUrl,
    elements: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), fix: node.failureSummary ?? '' })),
  }));
}

const imagesDirectory = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/**
 * Saves a full-page screenshot as docs/images/<name>.png for the README, only when
 * UPDATE_SCREENSHOTS=1: an ordinary test run never rewrites the committed pictures. Returns the
 * file written, or undefined when none was.
 */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}" must be lowercase letters, digits and dashes`);
  if (process.env.UPDATE_SCREENSHOTS !== '1') return undefined;
  await mkdir(imagesDirectory, { recursive: true });
  const path = `${imagesDirectory}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Every page a browser test visits: no WCAG 2.2 A/AA violation axe-core can find. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await checkAccessibility(page), `axe-core on ${page.url()}`).toEqual([]);
}

/**
 * Signs a member of staff in at the local stack's identity provider (its Email address and
 * Password fields, its Sign in button), starting from `startAt`, and waits until the console
 * page itself is back (past the callback).
 */
export async function signInAt(page: Page, baseUrl: string, email: string, password: string, startAt = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}${startAt}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url: URL) => url.pathname.startsWith('/console/') && !url.pathname.startsWith('/console/auth/'));
}
