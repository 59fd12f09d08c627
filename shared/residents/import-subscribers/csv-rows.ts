import { CsvError, parse } from 'csv-parse/sync';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { ImportProblem } from '../../domain/errors.js';
import { topicIdSchema } from '../../domain/model.js';
import { languageSchema } from '../../domain/language.js';
import { phoneNumberField } from '../../domain/phone.js';
import { ageBands, parseArea } from '../../domain/profile.js';
import {
  columnProblemKind,
  consentColumns,
  importColumns,
  requiredColumnWords,
  requiredImportColumns,
  type ImportColumn,
  type ImportProblemKind,
} from '../../domain/subscriber-import.js';

/** Empty cells are absent values, so an optional column may be left blank on some rows. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const required = (what: string) => z.string().min(1, `${what} is required`).max(200, 'must be at most 200 characters');

/** When the consent was collected: a date or time, not in the future. */
function collectedAtSchema(now: Date) {
  return z.string().transform((value, ctx) => {
    const time = Date.parse(value);
    const problem =
      value === ''
        ? 'when the consent was collected is required'
        : Number.isNaN(time)
          ? 'must be a date, e.g. 2025-03-01 or 2025-03-01T10:00:00Z'
          : time > now.getTime()
            ? 'must not be in the future'
            : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return new Date(time).toISOString();
  });
}

/** Consent evidence given once for a whole file (the console's check page), for the rows whose own cells are empty. */
export function consentGivenSchema(now: Date) {
  return z.object({
    consent_collected_by: required('who collected the consent'),
    consent_collected_at: collectedAtSchema(now),
    consent_method: required('how the consent was collected'),
  });
}
export type ConsentGiven = z.infer<ReturnType<typeof consentGivenSchema>>;

/** One row as the file gives it, checked and normalised (E.164 number, postcode district). */
export function importRowSchema(defaultCountry: CountryCode, now: Date) {
  return z.object({
    phone: phoneNumberField(defaultCountry),
    topic: z.preprocess((value) => String(value ?? '').toLowerCase(), topicIdSchema),
    channel: z.preprocess((value) => (value === '' || value === undefined ? 'sms' : String(value).toLowerCase()), z.enum(['sms', 'whatsapp'], 'must be sms or whatsapp')),
    language: optional(z.preprocess((value) => String(value).toLowerCase(), languageSchema)),
    area: optional(
      z.string().transform((value, ctx) => {
        const district = parseArea(value);
        if (!district) {
          ctx.addIssue({ code: 'custom', message: `"${value}" is not a UK postcode district or postcode` });
          return z.NEVER;
        }
        return district;
      }),
    ),
    age_band: optional(z.enum(ageBands, `must be one of ${ageBands.join(', ')}`)),
    ...consentGivenSchema(now).shape,
  });
}
export type ImportRow = z.infer<ReturnType<typeof importRowSchema>>;

/**
 * A row whose consent cells may be empty, to be filled from evidence given for the whole file
 * (`withConsent`). The cells a row does give are checked as ever.
 */
function rowWithOptionalConsentSchema(defaultCountry: CountryCode, now: Date) {
  const given = consentGivenSchema(now).shape;
  return importRowSchema(defaultCountry, now).extend({
    consent_collected_by: optional(given.consent_collected_by),
    consent_collected_at: optional(given.consent_collected_at),
    consent_method: optional(given.consent_method),
  });
}
export type RowWithOptionalConsent = z.infer<ReturnType<typeof rowWithOptionalConsentSchema>>;

export interface NumberedRow<Row = ImportRow> {
  /** The line of the file the row ends on (the header is line 1). */
  line: number;
  row: Row;
}

/** A problem with the file or a row: named by line and field, and of a kind (the console's check page groups by it). */
export type ImportIssue = ImportProblem;

/** Names a field of a line, as every bad row is reported: `line 4: phone`. */
export const lineField = (line: number, field: string) => `line ${line}: ${field}`;

export function lineIssue(line: number, field: string, kind: ImportProblemKind, message: string): ImportIssue {
  return { field: lineField(line, field), message, kind, line };
}

function fileIssue(message: string): ImportIssue {
  return { field: 'body', message, kind: 'file', line: undefined };
}

/** Fills a row's empty consent cells from the evidence given for the file; the row's own evidence stays. */
export function withConsent(row: RowWithOptionalConsent, given: ConsentGiven): ImportRow {
  return {
    ...row,
    consent_collected_by: row.consent_collected_by ?? given.consent_collected_by,
    consent_collected_at: row.consent_collected_at ?? given.consent_collected_at,
    consent_method: row.consent_method ?? given.consent_method,
  };
}

/** Whether the row gives its own consent evidence, all three cells. */
export function hasOwnConsent(row: RowWithOptionalConsent): row is ImportRow {
  return row.consent_collected_by !== undefined && row.consent_collected_at !== undefined && row.consent_method !== undefined;
}

export interface ReadOptions {
  defaultCountry: CountryCode;
  now: Date;
  maxRows: number;
  /**
   * The consent columns may be left out, or their cells empty, because the evidence is given for
   * the whole file apart from it (the console's check page). Off for the API, where each row
   * carries its own.
   */
  consentGivenApart?: boolean;
}

/**
 * Reads an import file: CSV (RFC 4180: quoted fields may hold commas and line breaks), a header
 * row first, UTF-8 with or without a byte-order mark. Header names are forgiving about case and
 * spacing ("Age band" is age_band). Every problem is reported, each by its line and field and
 * its kind, beside the rows that have none. An empty cell a row needs is "missing", whatever the
 * column's own check would say of it.
 */
export function readImportCsv(text: string, options: ReadOptions): { rows: NumberedRow<RowWithOptionalConsent>[]; issues: ImportIssue[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ended; csv-parse's types do not follow the option.
    records = parse(text, { info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    // Only a broken file gets here (an unclosed quote): there is no row to trust after it.
    if (error instanceof CsvError) return { rows: [], issues: [lineIssue(Number(error.lines ?? 1), 'csv', 'file', error.message)] };
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], issues: [fileIssue('the file is empty: a header row and at least one row are required')] };
  const columns = header.record.map(normaliseHeader);
  const required = requiredImportColumns.filter((column) => !(options.consentGivenApart && consentColumns.includes(column)));
  const issues = headerIssues(columns, header.info.lines, required);
  if (issues.length > 0) return { rows: [], issues };
  if (body.length === 0) return { rows: [], issues: [fileIssue('the file has a header but no rows')] };
  if (body.length > options.maxRows) {
    return { rows: [], issues: [fileIssue(`at most ${options.maxRows} rows per import; this file has ${body.length}: split it`)] };
  }

  const schema = options.consentGivenApart ? rowWithOptionalConsentSchema(options.defaultCountry, options.now) : importRowSchema(options.defaultCountry, options.now);
  const rows: NumberedRow<RowWithOptionalConsent>[] = [];
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      issues.push(lineIssue(info.lines, 'csv', 'file', `has ${record.length} fields; the header has ${columns.length}`));
      continue;
    }
    const cells: Partial<Record<string, string>> = Object.fromEntries(columns.map((column, index) => [column, record[index]]));
    const parsed = schema.safeParse(cells);
    if (parsed.success) {
      rows.push({ line: info.lines, row: parsed.data });
      continue;
    }
    for (const issue of parsed.error.issues) {
      const column = String(issue.path[0] ?? '') as ImportColumn;
      if (required.includes(column) && !cells[column]) issues.push(lineIssue(info.lines, column, 'missing', `${requiredColumnWords[column]} is required`));
      else issues.push(lineIssue(info.lines, issue.path.map(String).join('.') || 'row', columnProblemKind[column] ?? 'value', issue.message));
    }
  }
  // The good rows too, so that the checks against stored state can report their problems as well.
  return { rows, issues };
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function headerIssues(columns: string[], line: number, required: readonly ImportColumn[]): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const known = new Set<string>(importColumns);
  const seen = new Set<string>();
  for (const column of columns) {
    if (!known.has(column)) issues.push(lineIssue(line, column || '(blank)', 'file', `unknown column; the columns are ${importColumns.join(', ')}`));
    else if (seen.has(column)) issues.push(lineIssue(line, column, 'file', 'the column appears twice'));
    seen.add(column);
  }
  for (const column of required) {
    if (!seen.has(column)) issues.push(lineIssue(line, column, 'file', 'the header has no such column, and it is required'));
  }
  return issues;
}
