import type { TableStreamFilter } from '../functions/catalog-types.js';

/**
 * Whether a record matches a Lambda event filter pattern, for the forms the catalog uses: a field
 * whose pattern is a list matches when its value is one of the listed strings, or when
 * `{ exists: true }` is listed and it is present (`{ exists: false }`: absent); a field whose
 * pattern is an object matches when its value is an object matching it. Written here because it
 * is the local stack's stand-in for Lambda's own filtering, which no library brings to Node.
 */
export function matchesFilter(pattern: TableStreamFilter, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = (value as Record<string, unknown>)[field];
    if (!Array.isArray(expected)) return matchesFilter(expected as TableStreamFilter, actual);
    return (expected as readonly (string | { exists: boolean })[]).some((accepted) =>
      typeof accepted === 'string' ? actual === accepted : accepted.exists === (actual !== undefined),
    );
  });
}
