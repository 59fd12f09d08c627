import { describe, expect, it } from 'vitest';
import { consoleTestApp, type ConsoleTestApp } from './console-app.js';
import { pageProblems } from './page-checks.js';
import { pageText } from './page-reading.js';

/** One console page to check: how to reach it (signed in as whoever the case needs) and the status it answers. */
export interface PageCase {
  name: string;
  status: number;
  /** Returns the page's response, made by whoever the case needs. */
  response: (t: ConsoleTestApp) => Promise<Response>;
}

/**
 * The check every console test file runs over its pages, written once: each case in a fresh
 * console, answered with its status as HTML that passes page-checks.ts (valid HTML, one h1, the
 * title starting with it, unique ids, labelled fields, CSRF on every form that posts).
 */
export function everyPageChecked(title: string, cases: readonly PageCase[]): void {
  describe(title, () => {
    it.each(cases)('$name: valid HTML, one h1, the title starting with it, unique ids, labelled fields, CSRF on every form', async ({ status, response }) => {
      // Prepare
      const t = await consoleTestApp();

      // Act
      const page = await response(t);
      const html = await page.text();

      // Assess
      expect(page.status, pageText(html).slice(0, 400)).toBe(status);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await pageProblems(html)).toEqual([]);
    });
  });
}
