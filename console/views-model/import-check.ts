import type { ImportProblem } from '../../shared/domain/errors.js';
import { importProblemKinds, type ImportProblemKind } from '../../shared/domain/subscriber-import.js';
import type { ImportCheck } from '../../shared/residents/import-subscribers/check-import.js';
import { sentence } from '../sentence.js';
import { count, plural } from './format.js';

/**
 * Each kind of problem as the check page heads its group, with how many rows have it: GOV.UK
 * Notify's words where it has them ("Fix 3 phone numbers", "Enter missing data in 2 rows").
 */
export const problemGroupHeadings: Record<ImportProblemKind, (rows: number) => string> = {
  file: () => 'Fix the file',
  missing: (rows) => `Enter missing data in ${plural(rows, 'row')}`,
  phone: (rows) => `Fix ${plural(rows, 'phone number')}`,
  topic: (rows) => `Fix the topic in ${plural(rows, 'row')}`,
  value: (rows) => `Fix other data in ${plural(rows, 'row')}`,
  duplicate: (rows) => `Remove ${plural(rows, 'duplicate row')}`,
  stopped: (rows) => `Remove ${plural(rows, 'resident')} who said no (opted out, left the topic or were erased)`,
};

/** Each kind of problem in a word or two, for one row of a refused batch's record. */
export const problemKindNames: Record<ImportProblemKind, string> = {
  file: 'The file’s shape',
  missing: 'Missing data',
  phone: 'Not a valid phone number',
  topic: 'No such topic, or not one of your department’s',
  value: 'A value its column does not take',
  duplicate: 'A duplicate row',
  stopped: 'A resident who said no',
};

/** What each group says under its heading: why such rows cannot be imported, and what to do. */
export const problemGroupHints: Record<ImportProblemKind, string> = {
  file: 'The file is not in the shape an import takes: see the columns on the upload page.',
  missing: 'These rows leave out something every row needs.',
  phone: 'These are not phone numbers that can be texted. Correct them, or remove the rows.',
  topic: 'Each row needs the ID of a topic of your department that takes subscribers.',
  value: 'These cells hold something their column does not take.',
  duplicate: 'The same number, topic and channel appear in an earlier row.',
  stopped: 'An import never overrides a resident’s own STOP, their leaving a topic, or their erasure. Remove these rows.',
};

export interface ProblemGroup {
  kind: ImportProblemKind;
  id: string;
  heading: string;
  hint: string;
  rows: { row: string; column: string; problem: string }[];
}

/** The problems grouped by kind, in a fixed order, each group's rows in the order of the file. */
export function problemGroups(problems: readonly ImportProblem[]): ProblemGroup[] {
  return importProblemKinds.flatMap((kind) => {
    const ofKind = problems.filter((problem) => problem.kind === kind);
    if (ofKind.length === 0) return [];
    const lines = new Set(ofKind.map((problem) => problem.line ?? 0));
    return [
      {
        kind,
        id: `problems-${kind}`,
        heading: problemGroupHeadings[kind](lines.size),
        hint: problemGroupHints[kind],
        rows: ofKind.map((problem) => ({
          row: problem.line === undefined ? 'The file' : count(problem.line),
          column: problem.field.replace(/^line \d+: /, '').replace(/^body$/, '–'),
          problem: sentence(problem.message),
        })),
      },
    ];
  });
}

/** The error summary's list: one line per group, linking to it. */
export function problemSummary(groups: readonly ProblemGroup[]): { text: string; href: string }[] {
  return groups.map((group) => ({ text: group.heading, href: `#${group.id}` }));
}

/** What a file with no problems would do, topic by topic. */
export function importPreview(check: ImportCheck, topicName: (id: string) => string) {
  const byTopic = new Map<string, { topic: string; imported: number; alreadySubscribed: number }>();
  const add = (topicId: string, field: 'imported' | 'alreadySubscribed') => {
    const entry = byTopic.get(topicId) ?? { topic: topicName(topicId), imported: 0, alreadySubscribed: 0 };
    entry[field] += 1;
    byTopic.set(topicId, entry);
  };
  for (const { row } of check.plan?.apply ?? []) add(row.topic, 'imported');
  for (const { row } of check.plan?.alreadySubscribed ?? []) add(row.topic, 'alreadySubscribed');
  return {
    rows: plural(check.rows, 'row'),
    topics: [...byTopic.values()].sort((a, b) => a.topic.localeCompare(b.topic)).map((t) => ({ topic: t.topic, imported: count(t.imported), alreadySubscribed: count(t.alreadySubscribed) })),
  };
}
