import type { Principal } from '../../domain/model.js';
import { REFUSAL_EXAMPLES, type ImportBatch } from '../import-batch.js';
import type { ImportIssue } from './csv-rows.js';
import type { ConsentGiven } from './csv-rows.js';

export interface ImportOutcome {
  rows: number;
  imported: number;
  alreadySubscribed: number;
  topics: ImportBatch['topics'];
}

/** The batch's record as its page shows it: the outcome, or the refusal by kind and line (never its words). */
export function batchRecord(
  batch: { id: string; at: string; principal: Principal; consent: ConsentGiven | undefined; rowsWithGivenConsent: number },
  outcome: { imported: ImportOutcome } | { refused: { rows: number; issues: readonly ImportIssue[] } },
): ImportBatch {
  const common = {
    id: batch.id,
    at: batch.at,
    actor: batch.principal.keyId,
    department: batch.principal.department,
    consent: batch.consent
      ? { collectedBy: batch.consent.consent_collected_by, collectedAt: batch.consent.consent_collected_at, method: batch.consent.consent_method }
      : undefined,
    rowsWithGivenConsent: batch.consent ? batch.rowsWithGivenConsent : 0,
  };
  if ('imported' in outcome) {
    const { rows, imported, alreadySubscribed, topics } = outcome.imported;
    return { ...common, outcome: 'imported', rows, imported, alreadySubscribed, topics, refused: { rows: 0, byKind: {}, examples: [] } };
  }
  const { issues } = outcome.refused;
  const linesByKind = new Map<ImportIssue['kind'], Set<number | undefined>>();
  for (const issue of issues) linesByKind.set(issue.kind, (linesByKind.get(issue.kind) ?? new Set()).add(issue.line));
  return {
    ...common,
    outcome: 'refused',
    rows: outcome.refused.rows,
    imported: 0,
    alreadySubscribed: 0,
    topics: [],
    refused: {
      rows: new Set(issues.map((issue) => issue.line ?? 0)).size,
      byKind: Object.fromEntries([...linesByKind].map(([kind, lines]) => [kind, lines.size])),
      examples: issues.slice(0, REFUSAL_EXAMPLES).map(({ line, field, kind }) => ({ line, field: field.replace(/^line \d+: /, ''), kind })),
    },
  };
}
