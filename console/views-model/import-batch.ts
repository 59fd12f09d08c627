import type { ImportBatch } from '../../shared/residents/import-batch.js';
import { problemGroupHeadings, problemKindNames } from './import-check.js';
import { count, localTime } from './format.js';
import { importProblemKinds } from '../../shared/domain/subscriber-import.js';

export const importBatchPath = (id: string) => `/console/residents/imports/${encodeURIComponent(id)}`;

const outcomeNames: Record<ImportBatch['outcome'], string> = {
  imported: 'Imported',
  refused: 'Refused: nothing was imported',
};

/** A batch as its page shows it: who, when, the evidence, and what came of its rows. */
export function importBatchView(batch: ImportBatch, options: { nameOf: (id: string) => string; timeZone: string; topicName: (id: string) => string }) {
  const given = batch.consent && `Collected by ${batch.consent.collectedBy} on ${batch.consent.collectedAt.slice(0, 10)} (${batch.consent.method})`;
  const consent = !given
    ? 'Given in each row of the file'
    : batch.rowsWithGivenConsent < batch.rows
      ? `${given}, for ${count(batch.rowsWithGivenConsent)} of the rows; the others gave their own`
      : given;
  return {
    id: batch.id,
    path: importBatchPath(batch.id),
    when: localTime(batch.at, options.timeZone),
    outcome: outcomeNames[batch.outcome],
    summary: [
      { key: 'Outcome', value: outcomeNames[batch.outcome] },
      { key: 'Run by', value: `${options.nameOf(batch.actor)} (${batch.department})` },
      { key: 'When', value: localTime(batch.at, options.timeZone) },
      { key: 'Consent evidence', value: consent },
      { key: 'Rows in the file', value: count(batch.rows) },
      { key: 'Subscribed by this import', value: count(batch.imported) },
      { key: 'Already subscribed', value: count(batch.alreadySubscribed) },
      { key: 'Rows refused', value: count(batch.refused.rows) },
    ],
    topics: batch.topics.map((topic) => ({ topic: options.topicName(topic.topicId), imported: count(topic.imported), alreadySubscribed: count(topic.alreadySubscribed) })),
    refusedBy: importProblemKinds.flatMap((kind) => {
      const rows = batch.refused.byKind[kind];
      return rows ? [problemGroupHeadings[kind](rows)] : [];
    }),
    refusedExamples: batch.refused.examples.map((example) => ({
      row: example.line === undefined ? 'The file' : count(example.line),
      column: example.field === 'body' ? '–' : example.field,
      problem: problemKindNames[example.kind],
    })),
  };
}

/** A line of the residents page's list of recent imports. */
export function importBatchLine(batch: ImportBatch, options: { nameOf: (id: string) => string; timeZone: string }) {
  return {
    path: importBatchPath(batch.id),
    when: localTime(batch.at, options.timeZone),
    by: options.nameOf(batch.actor),
    rows: count(batch.rows),
    outcome: outcomeNames[batch.outcome],
  };
}
