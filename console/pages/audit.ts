import { Hono } from 'hono';
import { localDayBounds } from '../../shared/domain/local-days.js';
import { auditActions } from '../../shared/staff/audit-log.js';
import { listStaff } from '../../shared/staff/manage-staff.js';
import { authorize } from '../../shared/staff/access.js';
import { listAudit } from '../../shared/staff/audit.js';
import { listKeys } from '../../shared/staff/keys.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import { signedIn } from '../signed-in.js';
import { auditActionLabels, auditFilterSchema, auditRow, type AuditFilter } from '../views-model/audit.js';
import { fieldErrorsOf, formErrors } from '../views-model/form-errors.js';
import { withoutEmptyFields } from '../../shared/inbox/inbox-filter.js';

/** Records one page shows; older ones are a link further. */
const AUDIT_PAGE = 50;
/** How many of each (staff, keys) the "who" choice lists. */
const PEOPLE_LIMIT = 200;

const filterFields = {
  actor: { label: 'Who' },
  action: { label: 'What' },
  department: { label: 'Department' },
  from: { label: 'From' },
  to: { label: 'To' },
};

/**
 * The audit log for operators (`audit:read`), newest first: who did what, when, to which
 * department, each record's before and after as a table of the fields that changed. Filters in
 * the query string, so a filtered view can be bookmarked; days are the deployment's.
 */
export function auditPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  /** Who can be chosen: staff and API keys, by name. */
  async function people(filter: Partial<AuditFilter>, principal: ReturnType<typeof signedIn>['principal']) {
    const [staff, keys] = await Promise.all([
      listStaff(deps.broadcasts, principal, { limit: PEOPLE_LIMIT }),
      listKeys(deps.broadcasts, principal, { limit: PEOPLE_LIMIT }),
    ]);
    return [
      { value: '', text: 'Anyone' },
      ...staff.items.map((one) => ({ value: one.id, text: `${one.name} (staff)`, selected: one.id === filter.actor })),
      ...keys.items.map((one) => ({ value: one.id, text: `${one.name} (API key)`, selected: one.id === filter.actor })),
    ];
  }

  routes.get('/console/audit', async (c) => {
    const { principal } = signedIn(c);
    // Refused (a 403 page) before anything is read, as the API refuses GET /v1/audit.
    authorize(principal, 'audit:read');
    const raw = withoutEmptyFields(c.req.query());
    const parsed = auditFilterSchema.safeParse(raw);
    const filter: Partial<AuditFilter> = parsed.success ? parsed.data : {};
    const base = {
      pageTitle: 'Audit log',
      filter: raw,
      people: await people(filter, principal),
      actions: [{ value: '', text: 'Anything' }, ...auditActions.map((action) => ({ value: action, text: auditActionLabels[action], selected: action === filter.action }))],
    };
    if (!parsed.success) {
      const errors = formErrors(parsed.error.issues, filterFields, raw);
      return page(c, 'audit/log.njk', { ...base, errors, fieldErrors: fieldErrorsOf(errors), invalid: true }, 400);
    }
    const cursor = c.req.query('cursor') || undefined;
    const { items, cursor: next } = await listAudit(deps.broadcasts, principal, {
      limit: AUDIT_PAGE,
      ...(cursor ? { cursor } : {}),
      ...(parsed.data.from ? { from: localDayBounds(parsed.data.from, timeZone).start } : {}),
      ...(parsed.data.to ? { to: localDayBounds(parsed.data.to, timeZone).end } : {}),
      ...(parsed.data.actor ? { actor: parsed.data.actor } : {}),
      ...(parsed.data.action ? { action: parsed.data.action } : {}),
      ...(parsed.data.department ? { department: parsed.data.department } : {}),
    });
    const query = new URLSearchParams(Object.entries(parsed.data).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)] as [string, string]])));
    if (next) query.set('cursor', next);
    return page(c, 'audit/log.njk', {
      ...base,
      entries: items.map((entry) => auditRow(entry, timeZone)),
      olderHref: next ? `/console/audit?${query.toString()}` : undefined,
    });
  });

  return routes;
}
