import { HtmlValidate, Rule, type DOMReadyEvent, type HtmlElement } from 'html-validate';

/**
 * Every console page is checked as GOV.UK Notify checks its own: valid HTML (html-validate's
 * recommended rules), exactly one h1, a <title> that starts with it, no duplicate ids, every
 * input, textarea and select labelled, every form that posts carrying the CSRF token. The checks
 * of our own are html-validate rules over its parsed document, so one parser reads the page.
 */

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

class OneH1 extends Rule {
  setup(): void {
    this.on('dom:ready', ({ document }: DOMReadyEvent) => {
      const headings = document.querySelectorAll('h1');
      if (headings.length !== 1) this.report(headings[1] ?? null, `a page has exactly one <h1>, this one has ${headings.length}`);
    });
  }
}

class TitleStartsWithH1 extends Rule {
  setup(): void {
    this.on('dom:ready', ({ document }: DOMReadyEvent) => {
      const title = collapse(document.querySelector('title')?.textContent ?? '');
      const h1 = collapse(document.querySelector('h1')?.textContent ?? '');
      // GOV.UK's pattern for a page re-shown with errors puts "Error: " first, so a screen reader says so at once.
      const withoutError = title.replace(/^Error: /, '');
      if (!h1 || !withoutError.startsWith(h1)) this.report(null, `<title> "${title}" does not start with the <h1> "${h1}"`);
    });
  }
}

class FormsCarryCsrf extends Rule {
  setup(): void {
    this.on('dom:ready', ({ document }: DOMReadyEvent) => {
      for (const form of document.querySelectorAll('form')) {
        if ((form.getAttributeValue('method') ?? 'get').toLowerCase() !== 'post') continue;
        const token = form.querySelectorAll('input').find((input: HtmlElement) => input.getAttributeValue('name') === 'csrf');
        if (!token || token.getAttributeValue('type') !== 'hidden' || !token.getAttributeValue('value')) {
          this.report(form, `the form posting to ${form.getAttributeValue('action') ?? 'this page'} carries no CSRF token`);
        }
      }
    });
  }
}

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  plugins: [{ name: 'crier-page', rules: { 'crier-page/one-h1': OneH1, 'crier-page/title-starts-with-h1': TitleStartsWithH1, 'crier-page/csrf': FormsCarryCsrf } }],
  rules: {
    'crier-page/one-h1': 'error',
    'crier-page/title-starts-with-h1': 'error',
    'crier-page/csrf': 'error',
    'no-dup-id': 'error',
    // govuk-frontend's Nunjucks macros leave spaces at line ends (their templates' indentation);
    // a formatting rule, nothing a browser or a screen reader sees.
    'no-trailing-whitespace': 'off',
    // A group of checkboxes shares one name: that is how a form sends a list (the rule's default
    // allows it for radios only).
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // govukButton with an href is a link styled as a button with role="button", GOV.UK's own markup.
    'prefer-native-element': ['error', { exclude: ['button'] }],
    // govukDateInput puts role="group" on its fieldset, on purpose (for VoiceOver), in GOV.UK's own markup.
    'no-redundant-role': 'off',
    'input-missing-label': 'error',
  },
});

/** What is wrong with a page, one line each: an empty list for a page that passes. */
export async function pageProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) => result.messages.map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`));
}
