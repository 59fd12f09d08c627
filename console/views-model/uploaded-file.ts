import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../shared/domain/subscriber-import.js';
import type { FieldError } from './field-error.js';
import { count } from './format.js';

/** The limits as the upload page states them, and its refusals repeat. */
export const importLimits = { megabytes: MAX_IMPORT_BYTES / (1024 * 1024), rows: count(MAX_IMPORT_ROWS) };

const fileError = (text: string): { ok: false; error: FieldError } => ({ ok: false, error: { text, href: '#file' } });

/**
 * The spreadsheet from the upload form's file input, as text, or the error beside the input. A
 * file of spreadsheet rows must be CSV in UTF-8: anything else would be read as garbled numbers
 * and names, so it is refused here with what to do, before a row is read.
 */
export async function uploadedCsv(value: unknown): Promise<{ ok: true; csv: string; name: string } | { ok: false; error: FieldError }> {
  if (!(value instanceof File) || (value.size === 0 && value.name === '')) return fileError('Select a CSV file');
  if (value.size > MAX_IMPORT_BYTES) return fileError(`The selected file must be smaller than ${importLimits.megabytes} MB`);
  if (!/\.csv$/i.test(value.name)) return fileError('The selected file must be a CSV file');
  if (value.size === 0) return fileError('The selected file is empty');
  try {
    return { ok: true, csv: new TextDecoder('utf-8', { fatal: true }).decode(await value.arrayBuffer()), name: value.name };
  } catch {
    return fileError('The selected file must be saved as CSV UTF-8');
  }
}

/**
 * The file carried from the check page to Import, in a hidden field: base64, so its bytes (line
 * breaks inside quoted cells, a byte-order mark) come back exactly as checked. Undefined for
 * anything that is not such a file within the limit.
 */
export function carriedCsv(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 4) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    return undefined;
  }
}

export const carry = (csv: string): string => Buffer.from(csv, 'utf8').toString('base64');
