import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import type { Principal } from '../../domain/model.js';
import { MAX_IMPORT_ROWS } from '../../domain/subscriber-import.js';
import { authorize } from '../../staff/access.js';
import type { CoreDependencies } from '../../ports/dependencies.js';
import type { WithSubscribers } from '../../ports/stores.js';
import { hasOwnConsent, readImportCsv, type ConsentGiven, type ImportIssue } from './csv-rows.js';
import { planImport, type ImportPlan, type PlanReads } from './plan.js';

export interface ImportInput {
  csv: string;
  defaultCountry: CountryCode;
  /**
   * Consent evidence is given for the whole file apart from it (the console's check page), so
   * the consent columns may be left out or empty. Off for the API: each row gives its own.
   */
  consentGivenApart?: boolean;
  /** The evidence given apart, for the rows that give none; absent before it is asked for. */
  consent?: ConsentGiven;
}

export interface ImportCheck {
  batchId: string;
  /** Well-formed rows read (the file's other rows are among the issues). */
  rows: number;
  /** Every problem, in the order of the file; none means the file may be imported. */
  issues: ImportIssue[];
  /** What each well-formed row would do; undefined when no row was well-formed. */
  plan: ImportPlan | undefined;
  /** Rows that give no consent evidence of their own: they need the evidence given apart. */
  rowsWithoutConsent: number;
}

/**
 * The check step: reads the file and checks every row against the file and the stored state
 * (topics, duplicates, erased numbers, residents' own STOPs), and writes nothing. The import
 * runs the same check again just before it writes, since a resident may text STOP in between.
 */
export async function checkImport(deps: WithSubscribers<CoreDependencies, PlanReads>, principal: Principal, input: ImportInput): Promise<ImportCheck> {
  authorize(principal, 'subscribers:import');
  const { rows, issues } = readImportCsv(input.csv, {
    defaultCountry: input.defaultCountry,
    now: deps.clock.now(),
    maxRows: MAX_IMPORT_ROWS,
    consentGivenApart: input.consentGivenApart ?? false,
  });
  const batchId = importBatchId(principal.keyId, input.csv, input.consent);
  const rowsWithoutConsent = rows.filter(({ row }) => !hasOwnConsent(row)).length;
  if (rows.length === 0) return { batchId, rows: 0, issues, plan: undefined, rowsWithoutConsent };
  // The well-formed rows are checked against the stored state even when others are malformed,
  // so one answer names every bad row of the file.
  const { plan, issues: stateIssues } = await planImport(deps.stores, principal, rows, batchId);
  return { batchId, rows: rows.length, issues: byLine([...issues, ...stateIssues]), plan, rowsWithoutConsent };
}

/**
 * The same key sending the same file (with the same evidence given apart) makes the same batch:
 * sending it again replays it, never doubles it. Evidence given apart is part of the batch, so
 * the same file imported with other evidence is another batch, with its own consent records.
 */
export function importBatchId(keyId: string, csv: string, consent?: ConsentGiven): string {
  const hash = createHash('sha256').update(keyId).update('\n').update(csv);
  if (consent) hash.update('\n').update(JSON.stringify([consent.consent_collected_by, consent.consent_collected_at, consent.consent_method]));
  return `imp-${hash.digest('hex').slice(0, 24)}`;
}

/** In the order of the file, the file's own problems first (a stable sort: a line's own problems keep their order). */
function byLine(issues: ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
