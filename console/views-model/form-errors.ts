import type { z } from 'zod';
import type { FieldError } from './field-error.js';
import { fieldMessage } from './broadcast-draft.js';

/** A form field as its errors name it: the label a person reads, the id the summary links to. */
export interface FormField {
  label: string;
  /** Said instead of the schema's words when the field was left empty (GOV.UK: "Select the role"). */
  whenMissing?: string;
}

/**
 * A schema's refusals as the error summary lists them, one per field (the first, as GOV.UK shows
 * one message beside a field), in the form's order. The API's schema decides what is wrong; this
 * only says it in the page's words and links each to its field.
 */
export function formErrors(issues: readonly z.core.$ZodIssue[], fields: Record<string, FormField>, form: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const issue = issues.find((one) => one.path[0] === name);
    if (!issue) continue;
    const empty = form[name] === undefined || (typeof form[name] === 'string' && form[name].trim() === '');
    errors.push({ text: empty && field.whenMissing ? field.whenMissing : fieldMessage(field.label, issue.message), href: `#${name}` });
  }
  // A refusal about no listed field (a schema's own rule across fields) still reaches the person.
  for (const issue of issues) {
    if (!(String(issue.path[0]) in fields)) errors.push({ text: fieldMessage('This form', issue.message), href: `#${Object.keys(fields)[0]}` });
  }
  return errors;
}

/** Each field's message beside it: the summary's href names the field. */
export function fieldErrorsOf(errors: readonly FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}
