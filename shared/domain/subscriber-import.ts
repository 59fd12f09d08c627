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
