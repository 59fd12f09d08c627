import { ValidationError } from '../domain/errors.js';
import { generalDepartment, type Principal } from '../domain/model.js';
import { authorize } from '../staff/access.js';
import type { CoreDependencies, SendWindow } from '../ports/dependencies.js';
import { usageRows, type UsagePeriod, type UsageRow } from './usage-rows.js';

/** Usage items are kept 400 days (department-store.ts): a wider window would read nothing more. */
export const MAX_USAGE_DAYS = 400;
const DAY_MS = 24 * 3600 * 1000;

export interface UsageQuery {
  department?: string;
  from?: string;
  to?: string;
  by: UsagePeriod;
}

export interface UsageReport {
  from: string;
  to: string;
  by: UsagePeriod;
  departments: string[];
  rows: UsageRow[];
}

export type UsageDependencies = CoreDependencies & { window: Pick<SendWindow, 'dayOf'>; currency: string };

/**
 * Messages sent and their estimated cost per department per day or month, from the usage items
 * the senders already write (one ADD per batch: nothing is counted again here). An operator sees
 * every department (those with topics, and `general`, where replies to commands are costed);
 * anyone else their own department only, as the daily cap on their home page.
 */
export async function usageReport(deps: UsageDependencies, principal: Principal, query: UsageQuery): Promise<UsageReport> {
  if (query.department !== undefined) authorize(principal, 'broadcasts:read', { department: query.department });
  else authorize(principal, 'broadcasts:read');
  const to = query.to ?? deps.window.dayOf(deps.clock.now());
  const from = query.from ?? defaultFrom(to, query.by);
  if (from > to) throw new ValidationError('the window is empty', [{ field: 'from', message: 'must not be after to' }]);
  if ((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS >= MAX_USAGE_DAYS) {
    throw new ValidationError('the window is too wide', [{ field: 'from', message: `must be less than ${MAX_USAGE_DAYS} days before to: usage is kept that long` }]);
  }
  const departments = query.department !== undefined ? [query.department] : await departmentsFor(deps, principal);
  const rows = await Promise.all(
    departments.map(async (department) => usageRows(department, await deps.stores.departments.usage(department, from, to), query.by, deps.currency)),
  );
  return { from, to, by: query.by, departments, rows: rows.flat() };
}

/** By day: the 30 days up to `to`; by month: from the first of the month 11 months before (a year, month by month). */
export function defaultFrom(to: string, by: UsagePeriod): string {
  if (by === 'day') return new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  const [year, month] = to.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1 - 11, 1));
  return start.toISOString().slice(0, 10);
}

/** The departments a person's usage covers: all that have topics (and `general`) for an operator, else their own. */
async function departmentsFor(deps: CoreDependencies, principal: Principal): Promise<string[]> {
  if (principal.role !== 'operator') return [principal.department];
  const topics = await deps.stores.topics.list({ includeArchived: true });
  return [...new Set([generalDepartment, ...topics.map((topic) => topic.department)])].sort();
}
