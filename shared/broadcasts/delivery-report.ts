import { ForbiddenError } from '../domain/errors.js';
import type { Broadcast, Principal } from '../domain/model.js';
import { authorize } from '../staff/access.js';
import { getBroadcast } from './broadcast-reads.js';
import { departmentsOf } from '../usage/department-limits.js';
import type { CoreDependencies } from '../ports/dependencies.js';
import { rowOf, type DeliveryReportRow } from './delivery-report-rows.js';

export { deliveryReportCsv, deliveryReportColumns } from './delivery-report-csv.js';
export type { DeliveryReportRow } from './delivery-report-rows.js';

/** Rows a page may hold: 1,000 rows is ~70 KB of CSV and eleven reads, well within a request's time. */
export const DELIVERY_REPORT_MAX_PAGE = 1000;

export interface DeliveryReportPage {
  rows: DeliveryReportRow[];
  /** For the next page; absent on the last. */
  cursor: string | undefined;
}

/**
 * Whether the report shows residents' numbers whole: only to whoever may read residents'
 * profiles (`subscribers:read`: operators, with a live key or as a live person) for every
 * department of the broadcast. The rule is access.ts's own, asked rather than restated.
 */
export function showsNumbers(principal: Principal, broadcast: Pick<Broadcast, 'department' | 'mode'>): boolean {
  try {
    for (const department of departmentsOf(broadcast)) authorize(principal, 'subscribers:read', { department, mode: broadcast.mode });
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError) return false;
    throw error;
  }
}

/**
 * A broadcast's delivery report, a page at a time: one row per resident it was sent, is being
 * sent or skipped, by number. Reached exactly as the broadcast is (getBroadcast: a test key, or
 * another department, gets the same 404 or 403 as for the broadcast itself). Erased residents are
 * not in it: erasure deletes their messages.
 */
export async function deliveryReport(
  deps: CoreDependencies,
  principal: Principal,
  broadcastId: string,
  query: { cursor?: string; limit: number },
): Promise<DeliveryReportPage> {
  const broadcast = await getBroadcast(deps, principal, broadcastId);
  const full = showsNumbers(principal, broadcast);
  const page = await deps.stores.messages.listByBroadcast(broadcast.id, Math.min(query.limit, DELIVERY_REPORT_MAX_PAGE), query.cursor);
  return { rows: page.items.map((record) => rowOf(record, full)), cursor: page.cursor };
}
