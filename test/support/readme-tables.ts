import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/**
 * The names in the first column of the README table that follows `heading` (a line of it): each
 * backticked name of each row, so a row that lists `A`, `B` gives both.
 */
export function readmeTableNames(heading: string): string[] {
  const start = readme.indexOf(heading);
  if (start === -1) throw new Error(`README.md has no line "${heading}"`);
  const lines = readme.slice(start).split('\n').slice(1);
  const tableStart = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(tableStart).filter((_line, index, all) => all.slice(0, index + 1).every((line) => line.startsWith('|')));
  // The header and the |---| line are not settings.
  return rows.slice(2).flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
}
