/**
 * Reading what a console page says, for behaviour tests: the error summary's links and the
 * field-level messages, as a person (or a screen reader) meets them. Whitespace is collapsed;
 * the markup is govuk-frontend's own, so these patterns follow its macros' output.
 */
const collapse = (text: string) =>
  text
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The error summary's entries: where each links and what it says. */
export function errorSummary(html: string): Array<{ href: string; text: string }> {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="([^"]*)">([\s\S]*?)<\/a>/g)].map((match) => ({ href: match[1]!, text: collapse(match[2]!) }));
}

/** The error message shown beside the field with this id, without its visually hidden "Error:". */
export function fieldError(html: string, id: string): string | undefined {
  const message = new RegExp(`<p id="${id}-error" class="govuk-error-message">([\\s\\S]*?)</p>`).exec(html)?.[1];
  return message === undefined ? undefined : collapse(message).replace(/^Error: /, '');
}

/** The page's text as read, tags dropped. */
export function pageText(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
  return collapse(main);
}
