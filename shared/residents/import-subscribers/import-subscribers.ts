import { ImportRefusedError, ValidationError, type ImportProblem } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import type { ErasureStore } from '../../consent/erasure-store.js';
import type { ImportedSubscription, ImportEvidence, ImportStore } from '../../consent/import-store.js';
import type { WithSubscribers } from '../../ports/stores.js';
import { logger } from '../../runtime/logger.js';
import { recordAudit } from '../../staff/audit.js';
import type { CoreDependencies } from '../../ports/dependencies.js';
import { batchRecord } from './batch-record.js';
import { checkImport, type ImportInput } from './check-import.js';
import { hasOwnConsent, withConsent, type ImportRow, type NumberedRow } from './csv-rows.js';
import { inPool } from './pool.js';

export { importBatchId, type ImportInput } from './check-import.js';

/** Residents written at a time (a resident's own rows one after another). */
const WRITE_CONCURRENCY = 16;

export interface ImportSummary {
  batchId: string;
  rows: number;
  imported: number;
  alreadySubscribed: number;
  topics: { topicId: string; imported: number; alreadySubscribed: number }[];
}

/**
 * Imports residents who gave their consent elsewhere (a paper form, a youth club sign-up), each
 * row with who collected it, when and how (its own cells, or evidence given for the whole file
 * in the console). All or nothing:
 * - every row is checked first (checkImport), against the file and the stored state, and any
 *   bad row refuses the whole file, each problem named by line and field; the refusal is kept
 *   on the batch's record (by line and kind of problem), nothing else is written;
 * - then rows are applied as replayable writes marked with the batch id; if one fails, what the
 *   batch wrote is taken back (no transactions: dynalite has none, and 10,000 rows would not fit
 *   in one anyway) and the error stands.
 * The batch id is derived from the key, the file and the evidence given apart, so sending the
 * same file again (after a time-out, or a failure whose undo failed too) is the same batch: rows
 * it already wrote are replayed, not doubled, and a failure then takes back the earlier
 * attempt's rows too.
 */
export async function importSubscribers(deps: CoreDependencies, principal: Principal, input: ImportInput): Promise<ImportSummary> {
  const check = await checkImport(deps, principal, input);
  const now = deps.clock.now().toISOString();
  const batch = { id: check.batchId, at: now, principal, consent: input.consent, rowsWithGivenConsent: check.rowsWithoutConsent };
  if (check.issues.length > 0 || !check.plan) {
    await deps.stores.importBatches.record(batchRecord(batch, { refused: { rows: check.rows, issues: check.issues } }));
    throw refused(check.issues, check.batchId);
  }
  const { consent } = input;
  if (check.rowsWithoutConsent > 0 && !consent) {
    throw new ValidationError('consent evidence is required: give it for the rows that have none, or in each row', [
      { field: 'consent', message: `${check.rowsWithoutConsent} row${check.rowsWithoutConsent === 1 ? ' gives' : 's give'} no consent evidence of their own` },
    ]);
  }
  const complete = (numbered: (typeof check.plan.apply)[number]): NumberedRow => ({
    line: numbered.line,
    row: hasOwnConsent(numbered.row) ? numbered.row : withConsent(numbered.row, consent!),
  });
  const apply = check.plan.apply.map(complete);
  const already = check.plan.alreadySubscribed.map(complete);

  await applyBatch(deps, principal, apply, check.batchId, now);

  const summary = summarise(check.batchId, check.rows, apply, already);
  await deps.stores.importBatches.record(batchRecord(batch, { imported: summary }));
  // Counts and topics only: the audit log keeps no phone numbers.
  await recordAudit(deps, principal, 'subscriber.import', { type: 'subscriberImport', id: check.batchId }, {
    after: { rows: summary.rows, imported: summary.imported, alreadySubscribed: summary.alreadySubscribed, topics: summary.topics.map((t) => t.topicId) },
  });
  return summary;
}

async function applyBatch(deps: WithSubscribers<CoreDependencies, ImportStore & ErasureStore>, principal: Principal, rows: readonly NumberedRow[], batchId: string, at: string): Promise<void> {
  const byResident = groupByPhone(rows);
  const { started, failure } = await inPool(byResident, WRITE_CONCURRENCY, async (residentRows) => {
    for (const { row } of residentRows) await deps.stores.subscribers.importSubscription(subscriptionOf(row), at, evidenceOf(row, batchId, principal));
    // A resident known from a text had a record counting down: subscribed now, it is kept.
    if (residentRows[0]) await deps.stores.subscribers.settleRetention(residentRows[0].row.phone, at);
  });
  if (!failure) return;
  logger.warn('import failed part-way; undoing the batch', { batchId, error: failure.error });
  // Every row of every resident started, whether or not it was reached: undo is harmless for a
  // row the batch never wrote. Residents one at a time, so the undo itself stops at its own
  // first failure; then a retry of the same file finishes or undoes the batch.
  for (const residentRows of started) {
    for (const { row } of [...residentRows].reverse()) await deps.stores.subscribers.undoImport(subscriptionOf(row), batchId);
    // What the batch did not make stays, and counts down again if nothing keeps it.
    if (residentRows[0]) await deps.stores.subscribers.settleRetention(residentRows[0].row.phone, at);
  }
  throw failure.error;
}

function groupByPhone(rows: readonly NumberedRow[]): NumberedRow[][] {
  const groups = new Map<string, NumberedRow[]>();
  for (const numbered of rows) groups.set(numbered.row.phone, [...(groups.get(numbered.row.phone) ?? []), numbered]);
  return [...groups.values()];
}

function subscriptionOf(row: ImportRow): ImportedSubscription {
  return {
    phone: row.phone,
    channel: row.channel,
    topicId: row.topic,
    profile: { language: row.language, area: row.area, ageBand: row.age_band },
  };
}

function evidenceOf(row: ImportRow, batchId: string, principal: Principal): ImportEvidence {
  return {
    kind: 'import',
    batchId,
    actor: principal.keyId,
    collectedBy: row.consent_collected_by,
    collectedAt: row.consent_collected_at,
    method: row.consent_method,
  };
}

function summarise(batchId: string, rowCount: number, imported: readonly NumberedRow[], already: readonly NumberedRow[]): ImportSummary {
  const topics = new Map<string, { topicId: string; imported: number; alreadySubscribed: number }>();
  const topicOf = (topicId: string) => {
    const counts = topics.get(topicId) ?? { topicId, imported: 0, alreadySubscribed: 0 };
    topics.set(topicId, counts);
    return counts;
  };
  for (const { row } of imported) topicOf(row.topic).imported += 1;
  for (const { row } of already) topicOf(row.topic).alreadySubscribed += 1;
  return {
    batchId,
    rows: rowCount,
    imported: imported.length,
    alreadySubscribed: already.length,
    topics: [...topics.values()].sort((a, b) => a.topicId.localeCompare(b.topicId)),
  };
}

/** The API answers with each problem's field and words, as it always has; the console groups them by kind. */
function refused(issues: readonly ImportProblem[], batchId: string): ImportRefusedError {
  return new ImportRefusedError(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the file; nothing was imported`, issues, batchId);
}
