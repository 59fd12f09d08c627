import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserPerFile, checkAccessibility, screenshot } from '../support/browser.js';

/**
 * The browser kit itself: Chromium starts, each test gets its own context, and axe-core finds a
 * known WCAG failure and passes a clean page. Static pages (page.setContent), so it proves the
 * kit without depending on any console page.
 */
const browser = browserPerFile();

const cleanPage = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Broadcasts - Example Council</title></head>
  <body>
    <main>
      <h1>Broadcasts</h1>
      <form>
        <label for="message">Message</label>
        <textarea id="message" name="message"></textarea>
        <button type="submit">Continue</button>
      </form>
    </main>
  </body>
</html>`;

describe('the browser kit', () => {
  it('finds no violation on an accessible page', async () => {
    // Prepare
    await browser.page.setContent(cleanPage);

    // Act
    const violations = await checkAccessibility(browser.page);

    // Assess
    expect(violations).toEqual([]);
  });

  it('names the rule an unlabelled field and an image without alt text break', async () => {
    // Prepare
    await browser.page.setContent(
      cleanPage.replace('<label for="message">Message</label>', '').replace('<h1>Broadcasts</h1>', '<h1>Broadcasts</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    );

    // Act
    const violations = await checkAccessibility(browser.page);

    // Assess
    expect(violations.map((violation) => violation.rule).sort()).toEqual(['image-alt', 'label']);
    expect(violations.find((violation) => violation.rule === 'label')?.elements.map((element) => element.target)).toEqual(['#message']);
  });

  // These two run in order (as vitest runs a file's tests): the second sees what the first left.
  let earlierContext: unknown;
  it('lets a test set a cookie in its context', async () => {
    // Prepare
    earlierContext = browser.context;

    // Act
    await browser.context.addCookies([{ name: 'crier_session', value: 'left-over', url: 'http://127.0.0.1:1/' }]);

    // Assess
    expect(await browser.context.cookies()).toHaveLength(1);
  });

  it('gives the next test a fresh context, without the cookie', async () => {
    // Prepare
    const context = browser.context;

    // Act
    const cookies = await context.cookies();

    // Assess
    expect(earlierContext).toBeDefined();
    expect(context).not.toBe(earlierContext);
    expect(cookies).toEqual([]);
  });

  it('writes a screenshot only when UPDATE_SCREENSHOTS=1', async () => {
    // Prepare
    await browser.page.setContent(cleanPage);
    const previous = process.env.UPDATE_SCREENSHOTS;
    delete process.env.UPDATE_SCREENSHOTS;

    // Act
    const written = await screenshot(browser.page, 'browser-kit-never-written');
    if (previous !== undefined) process.env.UPDATE_SCREENSHOTS = previous;

    // Assess
    expect(written).toBeUndefined();
    expect(existsSync(new URL('../../docs/images/browser-kit-never-written.png', import.meta.url))).toBe(false);
  });
});
