import { CsvError, parse } from 'csv-parse/sync';
import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import type { FieldIssue } from '../../domain/errors.js';
import { languageSchema, topicIdSchema } from '../../domain/model.js';
import { phoneNumberField } from '../../domain/phone.js';
import { ageBands, parseArea } from '../../domain/profile.js';
import { importColumns, requiredImportColumns } from '../../domain/subscriber-import.js';

/** Empty cells are absent values, so an optional column may be left blank on some rows. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const required = (what: string) => z.string().min(1, `${what} is required`).max(200, 'must be at most 200 characters');

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
    consent_collected_by: required('who collected the consent'),
    consent_collected_at: z.string().transform((value, ctx) => {
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
    }),
    consent_method: required('how the consent was collected'),
  });
}
export type ImportRow = z.infer<ReturnType<typeof importRowSchema>>;

export interface NumberedRow {
  /** The line of the file the row ends on (the header is line 1). */
  line: number;
  row: ImportRow;
}

/** Names a field of a line, as every bad row is reported: `line 4: phone`. */
export const lineField = (line: number, field: string) => `line ${line}: ${field}`;

/**
 * Reads an import file: CSV (RFC 4180: quoted fields may hold commas and line breaks), a header
 * row first, UTF-8 with or without a byte-order mark. Header names are forgiving about case and
 * spacing ("Age band" is age_band). Every problem is reported, each by its line and field, beside
 * the rows that have none.
 */
export function readImportCsv(
  text: string,
  options: { defaultCountry: CountryCode; now: Date; maxRows: number },
): { rows: NumberedRow[]; issues: FieldIssue[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ended; csv-parse's types do not follow the option.
    records = parse(text, { info: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    // Only a broken file gets here (an unclosed quote): there is no row to trust after it.
    if (error instanceof CsvError) return { rows: [], issues: [{ field: lineField(Number(error.lines ?? 1), 'csv'), message: error.message }] };
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], issues: [{ field: 'body', message: 'the file is empty: a header row and at least one row are required' }] };
  const columns = header.record.map(normaliseHeader);
  const issues = headerIssues(columns, header.info.lines);
  if (issues.length > 0) return { rows: [], issues };
  if (body.length === 0) return { rows: [], issues: [{ field: 'body', message: 'the file has a header but no rows' }] };
  if (body.length > options.maxRows) {
    return { rows: [], issues: [{ field: 'body', message: `at most ${options.maxRows} rows per import; this file has ${body.length}: split it` }] };
  }

  const schema = importRowSchema(options.defaultCountry, options.now);
  const rows: NumberedRow[] = [];
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      issues.push({ field: lineField(info.lines, 'csv'), message: `has ${record.length} fields; the header has ${columns.length}` });
      continue;
    }
    const parsed = schema.safeParse(Object.fromEntries(columns.map((column, index) => [column, record[index]])));
    if (parsed.success) rows.push({ line: info.lines, row: parsed.data });
    else for (const issue of parsed.error.issues) issues.push({ field: lineField(info.lines, issue.path.map(String).join('.') || 'row'), message: issue.message });
  }
  // The good rows too, so that the checks against stored state can report their problems as well.
  return { rows, issues };
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function headerIssues(columns: string[], line: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = new Set<string>(importColumns);
  const seen = new Set<string>();
  for (const column of columns) {
    if (!known.has(column)) issues.push({ field: lineField(line, column || '(blank)'), message: `unknown column; the columns are ${importColumns.join(', ')}` });
    else if (seen.has(column)) issues.push({ field: lineField(line, column), message: 'the column appears twice' });
    seen.add(column);
  }
  for (const column of requiredImportColumns) {
    if (!seen.has(column)) issues.push({ field: lineField(line, column), message: 'the header has no such column, and it is required' });
  }
  return issues;
}
