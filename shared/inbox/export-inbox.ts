import type { Principal } from '../domain/model.js';
import type { InboxEntry } from './inbox-store.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { listInbox, type InboxListInput } from './inbox-and-reply-texts.js';
import { entryAsSeenBy, showsResidentNumbers } from './conversation.js';
import { inboxCsv, inboxCsvRow } from './inbox-csv.js';

/** The most rows one export holds: a spreadsheet's worth, read in pages of {@link EXPORT_PAGE}. */
export const EXPORT_MAX_ROWS = 5_000;
const EXPORT_PAGE = 200;

/**
 * A department's inbox as CSV, as filtered, newest first: numbers masked unless the caller may read
 * residents' numbers (`subscribers:read`), as the inbox's pages and the API's listing show them.
 * `truncated` says rows beyond {@link EXPORT_MAX_ROWS} were left out (narrow the filter).
 */
export async function exportInbox(
  deps: CoreDependencies,
  principal: Principal,
  query: Omit<InboxListInput, 'limit' | 'cursor'> & { department: string },
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const entries: InboxEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInbox(deps, principal, { ...query, limit: Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - entries.length), cursor });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor && entries.length < EXPORT_MAX_ROWS);
  const shows = showsResidentNumbers(principal, query.department);
  return { csv: inboxCsv(entries.map((entry) => inboxCsvRow(entryAsSeenBy(entry, shows)))), rows: entries.length, truncated: cursor !== undefined };
}
