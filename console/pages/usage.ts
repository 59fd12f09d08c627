import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { usageQuery } from '../../shared/api/usage-schemas.js';
import { usageFileName } from '../../shared/api/usage-view.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { usageCsv } from '../../shared/usage/usage-csv.js';
import { usageReport } from '../../shared/usage/usage-report.js';
import { authorize } from '../../shared/staff/access.js';
import { effectiveLimits, getDepartmentLimits, setDepartmentLimits } from '../../shared/usage/department-limits.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { signedIn } from '../signed-in.js';
import { fieldErrorsOf, formErrors, type FormField } from '../views-model/form-errors.js';
import { operatorsNavigation } from '../views-model/operators-navigation.js';
import { may } from '../views-model/permissions.js';
import { limitsView, usageTable } from '../views-model/usage.js';

/** What the page's filters may say: the API's own query, without its format. */
const filters = usageQuery.omit({ format: true, from: true, to: true });

/** A department in the address bar: the API's rule for the name. */
const departmentParameter = usageQuery.shape.department.unwrap();

/** A limit as typed: empty goes back to the deployment's default (null, as the API takes it). */
const limitField = z
  .string()
  .trim()
  .regex(/^\d*$/, 'must be a whole number, 0 or more')
  .max(9, 'must be at most 9 digits')
  .transform((text) => (text === '' ? null : Number(text)));
const limitsForm = z.object({ dailyMessageCap: limitField, operatorApprovalAbove: limitField });
const limitsFields: Record<string, FormField> = {
  dailyMessageCap: { label: 'Daily message cap' },
  operatorApprovalAbove: { label: 'Operator approval above' },
};

/**
 * Limits and usage (GOV.UK Notify's usage page): messages sent and their estimated cost per day
 * or month, per department, with a CSV download, and each department's limits (changed by
 * operators). Through the API's use cases, so an operator sees every department and anyone else
 * their own.
 */
export function usagePages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const currency = deps.broadcasts.prices?.table.currency ?? 'GBP';
  const usageDeps = { ...deps.broadcasts, currency };

  /** The filters from the address bar; anything else in it is ignored, a bad value refused by name. */
  function query(c: Context<ConsoleEnv>) {
    const parsed = filters.safeParse({ by: c.req.query('by') || undefined, department: c.req.query('department') || undefined });
    if (!parsed.success) throw new ValidationError('the usage filters are not valid', []);
    return parsed.data;
  }

  routes.get('/console/usage', async (c) => {
    const { principal } = signedIn(c);
    const { department, by } = query(c);
    const report = await usageReport(usageDeps, principal, { by, ...(department ? { department } : {}) });
    const one = department ?? (report.departments.length === 1 ? report.departments[0] : undefined);
    const limits = one ? limitsView(await getDepartmentLimits(deps.broadcasts, principal, one)) : undefined;
    const isOperator = principal.role === 'operator';
    const here = (changes: Record<string, string | undefined>) =>
      `/console/usage?${new URLSearchParams(Object.entries({ department, by, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined))}`;
    return page(c, 'usage/usage.njk', {
      pageTitle: 'Limits and usage',
      operatorsNav: operatorsNavigation(principal, c.req.path),
      notice: c.req.query('changed') === '1' && one ? `The limits of department ${one} were changed.` : undefined,
      by,
      from: report.from,
      to: report.to,
      department,
      limits,
      changeLimitsHref: one && may(principal, 'departments:manage') ? `/console/usage/${encodeURIComponent(one)}/limits` : undefined,
      departmentChoices: isOperator
        ? [{ value: '', text: 'All departments', selected: !department }, ...report.departments.map((name) => ({ value: name, text: name, selected: name === department }))]
        : undefined,
      showDepartment: !one,
      table: usageTable(report),
      byDayHref: here({ by: 'day' }),
      byMonthHref: here({ by: 'month' }),
      csvHref: `/console/usage/download?${new URLSearchParams(Object.entries({ department, by }).filter((entry): entry is [string, string] => entry[1] !== undefined))}`,
    });
  });

  routes.get('/console/usage/download', async (c) => {
    const { principal } = signedIn(c);
    const { department, by } = query(c);
    const report = await usageReport(usageDeps, principal, { by, ...(department ? { department } : {}) });
    return c.body(usageCsv(report.rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${usageFileName(report, department)}"`,
    });
  });

  async function limitsPage(c: Context<ConsoleEnv>, department: string, form: Record<string, string>, errors: FieldError[] = []) {
    const current = await effectiveLimits(deps.broadcasts, department);
    return page(
      c,
      'usage/limits.njk',
      {
        pageTitle: `Limits of department ${department}`,
        backLink: `/console/usage?department=${encodeURIComponent(department)}`,
        department,
        defaults: deps.broadcasts.limits,
        current: limitsView({ ...current, usedToday: 0 }),
        form,
        errors,
        fieldErrors: fieldErrorsOf(errors),
      },
      errors.length ? 400 : 200,
    );
  }

  /** The department in the path, for an operator (who alone may change limits). */
  function limitsDepartment(c: Context<ConsoleEnv>): string {
    const { principal } = signedIn(c);
    const department = departmentParameter.safeParse(c.req.param('department'));
    if (!department.success) throw new ValidationError('that is not a department name', []);
    // Refused (403, in the use case's own words) before a form is shown.
    authorize(principal, 'departments:manage');
    return department.data;
  }

  routes.get('/console/usage/:department/limits', async (c) => {
    const department = limitsDepartment(c);
    const own = await deps.broadcasts.stores.departments.limits(department);
    return limitsPage(c, department, {
      dailyMessageCap: own?.dailyMessageCap === undefined ? '' : String(own.dailyMessageCap),
      operatorApprovalAbove: own?.operatorApprovalAbove === undefined ? '' : String(own.operatorApprovalAbove),
    });
  });

  routes.post('/console/usage/:department/limits', async (c) => {
    const department = limitsDepartment(c);
    const body = await c.req.parseBody();
    const form = {
      dailyMessageCap: typeof body.dailyMessageCap === 'string' ? body.dailyMessageCap : '',
      operatorApprovalAbove: typeof body.operatorApprovalAbove === 'string' ? body.operatorApprovalAbove : '',
    };
    const parsed = limitsForm.safeParse(form);
    if (!parsed.success) return limitsPage(c, department, form, formErrors(parsed.error.issues, limitsFields, form));
    await setDepartmentLimits(usageDeps, signedIn(c).principal, department, parsed.data);
    return c.redirect(`/console/usage?department=${encodeURIComponent(department)}&changed=1`, 303);
  });
  return routes;
}
