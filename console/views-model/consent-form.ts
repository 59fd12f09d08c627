import type { ConsentGiven } from '../../shared/residents/import-subscribers/csv-rows.js';
import type { FieldError } from './field-error.js';

/** The consent evidence as typed on the check page, kept to show again beside its errors. */
export interface ConsentForm {
  by: string;
  day: string;
  month: string;
  year: string;
  method: string;
}

export const emptyConsentForm: ConsentForm = { by: '', day: '', month: '', year: '', method: '' };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function consentFormFrom(body: Record<string, unknown>): ConsentForm {
  return {
    by: text(body['consent-by']),
    day: text(body['consent-at-day']),
    month: text(body['consent-at-month']),
    year: text(body['consent-at-year']),
    method: text(body['consent-method']),
  };
}

/** Whether nothing was typed: the file's rows may give their own evidence. */
export function isBlank(form: ConsentForm): boolean {
  return Object.values(form).every((value) => value === '');
}

/**
 * The evidence for the whole file, or the errors beside its fields (the design system's date
 * input: day, month and year apart, each a number). The same rules as a row's own cells: who and
 * how are required, and the date is a real one, not in the future.
 */
export function consentOf(form: ConsentForm, now: Date): { ok: true; consent: ConsentGiven } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!form.by) errors.push({ text: 'Enter who collected their consent', href: '#consent-by' });
  else if (form.by.length > 200) errors.push({ text: 'Who collected their consent must be 200 characters or fewer', href: '#consent-by' });
  const date = dateOf(form);
  if (!form.day && !form.month && !form.year) errors.push({ text: 'Enter the date their consent was given', href: '#consent-at-day' });
  else if (!date) errors.push({ text: 'The date their consent was given must be a real date', href: '#consent-at-day' });
  else if (date.getTime() > now.getTime()) errors.push({ text: 'The date their consent was given must be today or in the past', href: '#consent-at-day' });
  if (!form.method) errors.push({ text: 'Enter how their consent was given', href: '#consent-method' });
  else if (form.method.length > 200) errors.push({ text: 'How their consent was given must be 200 characters or fewer', href: '#consent-method' });
  if (errors.length > 0 || !date) return { ok: false, errors };
  return { ok: true, consent: { consent_collected_by: form.by, consent_collected_at: date.toISOString(), consent_method: form.method } };
}

/** Midnight UTC of the day typed, as the API reads "2025-02-20"; undefined unless it is a real date. */
function dateOf({ day, month, year }: ConsentForm): Date | undefined {
  if (![day, month, year].every((part) => /^\d+$/.test(part)) || year.length !== 4) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCDate() === Number(day) && date.getUTCMonth() === Number(month) - 1 ? date : undefined;
}
