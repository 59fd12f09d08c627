import { Hono, type Context } from 'hono';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import { keyModeSchema, roleSchema } from '../../shared/domain/model.js';
import { staffIdSchema } from '../../shared/api/staff-schemas.js';
import { addStaff, listStaff, removeStaff } from '../../shared/staff/manage-staff.js';
import { newStaffSchema, type StaffRecord } from '../../shared/staff/staff-record.js';
import { authorize } from '../../shared/usecases/access.js';
import type { ConsoleEnv } from '../app.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page, type FieldError } from '../page.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { may } from '../views-model/permissions.js';
import { fieldErrorsOf, formErrors, type FormField } from '../views-model/form-errors.js';
import { departmentLabel, modeOptions, roleOptions, teamRows } from '../views-model/team.js';

/** As many people as one page lists; the API's own largest page. */
const TEAM_PAGE_SIZE = 100;

/** The invite form's fields, in its order: the names are the API's (`POST /v1/staff`). */
const inviteFields: Record<string, FormField> = {
  email: { label: 'Email address', whenMissing: 'Enter their email address' },
  name: { label: 'Name', whenMissing: 'Enter their name' },
  department: { label: 'Department', whenMissing: 'Enter their department' },
  role: { label: 'Role', whenMissing: 'Select their role' },
  mode: { label: 'Live or test', whenMissing: 'Select live or test' },
};

type InviteForm = Partial<Record<keyof typeof inviteFields, string>>;

/** The form's own fields, as strings: anything else posted (the CSRF token, stray names) is not the schema's business. */
function inviteFormOf(body: Record<string, unknown>): InviteForm {
  return Object.fromEntries(Object.keys(inviteFields).flatMap((name) => (typeof body[name] === 'string' ? [[name, body[name]]] : [])));
}

/**
 * The team: who may sign in to the console, and as what (department, role, live or test). Through
 * the API's own use cases (manage-staff.ts) as the person signed in, so `authorize` decides: today
 * staff are managed by operators only, who reach every department; no other role may list them.
 */
export function teamPages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const { timeZone } = deps.broadcasts.window;

  /** Refuses (as a 403 page) anyone the use cases would refuse, before a form is even shown. */
  function manager(c: Context<ConsoleEnv>) {
    const { principal } = signedIn(c);
    authorize(principal, 'staff:manage');
    return principal;
  }

  /** Someone on the record, for a page about them; an id that is not a staff id is no one. */
  async function member(c: Context<ConsoleEnv>): Promise<StaffRecord> {
    manager(c);
    const id = c.req.param('id') ?? '';
    const record = staffIdSchema.safeParse(id).success ? await deps.broadcasts.stores.staff.get(id) : undefined;
    if (!record) throw new NotFoundError(`no member of staff ${id}`);
    return record;
  }

  /** The banner after an invitation or a removal: named by the record, never by words from the address bar. */
  async function notice(added: string | undefined, removed: string | undefined): Promise<string | undefined> {
    const id = added ?? removed;
    if (!id || !staffIdSchema.safeParse(id).success) return undefined;
    const record = await deps.broadcasts.stores.staff.get(id);
    if (!record) return undefined;
    if (added && record.removedAt === undefined) {
      const what = `${record.mode === 'test' ? 'test ' : ''}${roleOptions[record.role].label.toLowerCase()}`;
      const where = record.department === '*' ? departmentLabel(record.department).toLowerCase() : `department ${record.department}`;
      return `${record.name} was added as a ${what} in ${where}. They can sign in at ${deps.publicBaseUrl}/console/ with ${record.email}.`;
    }
    if (removed && record.removedAt !== undefined) return `${record.name} was removed. They can no longer sign in.`;
    return undefined;
  }

  routes.get('/console/team', async (c) => {
    const principal = manager(c);
    const cursor = c.req.query('cursor');
    const { items, cursor: next } = await listStaff(deps.broadcasts, principal, { limit: TEAM_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    return page(c, 'team/team.njk', {
      pageTitle: 'Team',
      notice: await notice(c.req.query('added'), c.req.query('removed')),
      members: teamRows(items, timeZone),
      nextHref: next ? `/console/team?cursor=${encodeURIComponent(next)}` : undefined,
      mayManageKeys: may(principal, 'keys:manage'),
    });
  });

  function invitePage(c: Context<ConsoleEnv>, form: InviteForm, errors: FieldError[] = []) {
    return page(
      c,
      'team/invite.njk',
      {
        pageTitle: 'Invite a member of staff',
        backLink: '/console/team',
        errors,
        fieldErrors: fieldErrorsOf(errors),
        form: { mode: 'live', ...form },
        roles: roleSchema.options.map((role) => ({ value: role, text: roleOptions[role].label, hint: { text: roleOptions[role].hint }, checked: form.role === role })),
        modes: keyModeSchema.options.map((mode) => ({ value: mode, text: modeOptions[mode].label, hint: { text: modeOptions[mode].hint }, checked: (form.mode ?? 'live') === mode })),
      },
      errors.length ? 400 : 200,
    );
  }

  routes.get('/console/team/invite', (c) => {
    manager(c);
    return invitePage(c, {});
  });
  routes.post('/console/team/invite', async (c) => {
    const principal = manager(c);
    const form = inviteFormOf(await c.req.parseBody());
    // The API's own schema: the same rules and words as POST /v1/staff.
    const parsed = newStaffSchema.safeParse(form);
    if (!parsed.success) return invitePage(c, form, formErrors(parsed.error.issues, inviteFields, form));
    try {
      const added = await addStaff(deps.broadcasts, principal, parsed.data);
      return c.redirect(`/console/team?added=${added.id}`, 303);
    } catch (error) {
      // The one refusal that is about a field: someone current already has this email address.
      if (error instanceof ConflictError) return invitePage(c, form, [{ text: sentence(error.message), href: '#email' }]);
      throw error;
    }
  });

  routes.get('/console/team/:id/remove', async (c) => {
    const record = await member(c);
    if (record.removedAt !== undefined) {
      return messagePage(c, 200, 'This person has already been removed', [`${record.name} can no longer sign in.`], { href: '/console/team', text: 'Back to the team' });
    }
    return page(c, 'team/remove.njk', {
      pageTitle: `Remove ${record.name} from the team?`,
      backLink: '/console/team',
      member: teamRows([record], timeZone)[0],
      isYou: record.id === signedIn(c).staff.id,
    });
  });
  routes.post('/console/team/:id/remove', async (c) => {
    const record = await member(c);
    await removeStaff(deps.broadcasts, signedIn(c).principal, record.id);
    return c.redirect(`/console/team?removed=${record.id}`, 303);
  });
  return routes;
}
