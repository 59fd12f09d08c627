/**
 * The shape of a subscriber import file, shared by the use case that reads it, the API document
 * that describes it and the CLI that sends it.
 */

/** The columns of an import file; the first row names them, in any order. */
export const importColumns = [
  'phone',
  'topic',
  'channel',
  'language',
  'area',
  'age_band',
  'consent_collected_by',
  'consent_collected_at',
  'consent_method',
] as const;
export type ImportColumn = (typeof importColumns)[number];
export const requiredImportColumns: readonly ImportColumn[] = ['phone', 'topic', 'consent_collected_by', 'consent_collected_at', 'consent_method'];

/** Rows per file. A row is about five writes; more than this would not finish within the API's 30 seconds. */
export const MAX_IMPORT_ROWS = 10_000;

/** The largest import file the API takes, in bytes (10,000 rows of ~100 bytes). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** The columns that carry a row's consent evidence: who collected it, when and how. */
export const consentColumns: readonly ImportColumn[] = ['consent_collected_by', 'consent_collected_at', 'consent_method'];

/**
 * What kind of problem keeps a row (or the file) out of an import, as the console's check page
 * groups them (GOV.UK Notify's "Fix 3 phone numbers"):
 * - `file`: the file itself (empty, too many rows, a broken quote, unknown or missing columns);
 * - `missing`: a required cell is empty;
 * - `phone`: a number that is not a valid phone number;
 * - `topic`: no such topic, archived, another department's, or not a topic id at all;
 * - `value`: another cell that is not what its column takes (channel, language, area, age band, date);
 * - `duplicate`: the same number, topic and channel as an earlier row;
 * - `stopped`: a resident who said no: erased at their request, opted out, or left the topic.
 */
export const importProblemKinds = ['file', 'missing', 'phone', 'topic', 'value', 'duplicate', 'stopped'] as const;
export type ImportProblemKind = (typeof importProblemKinds)[number];

/** The kind of problem a bad (non-empty) cell of each column is. */
export const columnProblemKind: Record<ImportColumn, ImportProblemKind> = {
  phone: 'phone',
  topic: 'topic',
  channel: 'value',
  language: 'value',
  area: 'value',
  age_band: 'value',
  consent_collected_by: 'value',
  consent_collected_at: 'value',
  consent_method: 'value',
};

/** Each required column as a refusal names it when its cell is empty: "the phone number is required". */
export const requiredColumnWords: Record<ImportColumn, string> = {
  phone: 'the phone number',
  topic: 'the topic',
  channel: 'the channel',
  language: 'the language',
  area: 'the area',
  age_band: 'the age band',
  consent_collected_by: 'who collected the consent',
  consent_collected_at: 'when the consent was collected',
  consent_method: 'how the consent was collected',
};
