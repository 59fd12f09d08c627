import { Hono, type Context } from 'hono';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/domain/errors.js';
import { keyModeSchema, roleSchema } from '../../shared/domain/model.js';
import { staffIdSchema } from '../../shared/api/staff-schemas.js';
import { addStaff, changeStaff, listStaff, removeStaff, teamMember } from '../../shared/staff/manage-staff.js';
import { newStaffSchema, type StaffRecord } from '../../shared/staff/staff-record.js';
import { staffChangeSchema } from '../../shared/staff/staff-rules.js';
import { authorize } from '../../shared/staff/access.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { messagePage, page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import { may } from '../views-model/permissions.js';
import { fieldErrorsOf, formErrors, type FormField } from '../views-model/form-errors.js';
import { departmentLabel, modeOptions, roleOptions, teamRows } from '../views-model/team.js';
import { operatorsNavigation } from '../views-model/operators-navigation.js';

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

/** The change form's fields (`PATCH /v1/staff/{id}`'s names). */
const changeFields: Record<string, FormField> = {
  department: { label: 'Department', whenMissing: 'Enter their department' },
  role: { label: 'Role', whenMissing: 'Select their role' },
  mode: { label: 'Live or test', whenMissing: 'Select live or test' },
};

type InviteForm = Partial<Record<keyof typeof inviteFields, string>>;

/** The form's own fields, as strings: anything else posted (the CSRF token, stray names) is not the schema's business. */
function formOf(body: Record<string, unknown>, fields: Record<string, FormField> = inviteFields): InviteForm {
  return Object.fromEntries(Object.keys(fields).flatMap((name) => (typeof body[name] === 'string' ? [[name, body[name]]] : [])));
}

/** The radios of role and mode, the chosen ones checked. */
function choices(form: InviteForm) {
  return {
    roles: roleSchema.options.map((role) => ({ value: role, text: roleOptions[role].label, hint: { text: roleOptions[role].hint }, checked: form.role === role })),
    modes: keyModeSchema.options.map((mode) => ({ value: mode, text: modeOptions[mode].label, hint: { text: modeOptions[mode].hint }, checked: (form.mode ?? 'live') === mode })),
  };
}

/**
 * The team: who may sign in to the console, and as what (department, role, live or test). Through
 * the API's own use cases (manage-staff.ts) as the person signed in, so the same rules decide:
 * staff are managed by operators only; an operator of a department (not `*`) sees and manages
 * their department's people only (staff-rules.ts); nobody changes or removes themselves.
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

  /** Someone in this operator's team, for a page about them; an id that is not a staff id is no one. */
  async function member(c: Context<ConsoleEnv>): Promise<StaffRecord> {
    const principal = manager(c);
    const id = c.req.param('id') ?? '';
    if (!staffIdSchema.safeParse(id).success) throw new NotFoundError(`no member of staff ${id}`);
    return teamMember(deps.broadcasts, principal, id);
  }

  /** The sub-navigation of the team's pages. */
  const operatorsNav = (c: Context<ConsoleEnv>) => operatorsNavigation(signedIn(c).principal, c.req.path);

  /** The banner after an invitation, a change or a removal: named by the record, never by words from the address bar. */
  async function notice(added: string | undefined, removed: string | undefined, changed?: string): Promise<string | undefined> {
    if (changed && staffIdSchema.safeParse(changed).success) {
      const record = await deps.broadcasts.stores.staff.get(changed);
      if (record && record.removedAt === undefined) return `${record.name} is now ${whatAndWhere(record)}. They have it from their next page.`;
      return undefined;
    }
    const id = added ?? removed;
    if (!id || !staffIdSchema.safeParse(id).success) return undefined;
    const record = await deps.broadcasts.stores.staff.get(id);
    if (!record) return undefined;
    if (added && record.removedAt === undefined) {
      return `${record.name} was added as ${whatAndWhere(record)}. They can sign in at ${deps.publicBaseUrl}/console/ with ${record.email}.`;
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
      notice: await notice(c.req.query('added'), c.req.query('removed'), c.req.query('changed')),
      members: teamRows(items, timeZone, signedIn(c).staff.id),
      operatorsNav: operatorsNav(c),
      departmentOnly: principal.department === '*' ? undefined : principal.department,
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
        ...choices(form),
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
    const form = formOf(await c.req.parseBody());
    // The API's own schema: the same rules and words as POST /v1/staff.
    const parsed = newStaffSchema.safeParse(form);
    if (!parsed.success) return invitePage(c, form, formErrors(parsed.error.issues, inviteFields, form));
    try {
      const added = await addStaff(deps.broadcasts, principal, parsed.data);
      return c.redirect(`/console/team?added=${added.id}`, 303);
    } catch (error) {
      // The one refusal that is about a field: someone current already has this email address.
      if (error instanceof ConflictError) return invitePage(c, form, [{ text: sentence(error.message), href: '#email' }]);
      // A department's operator inviting into another department: about the department field.
      if (error instanceof ForbiddenError) return invitePage(c, form, [{ text: sentence(error.message), href: '#department' }]);
      throw error;
    }
  });

  function changePage(c: Context<ConsoleEnv>, record: StaffRecord, form: InviteForm, errors: FieldError[] = []) {
    return page(
      c,
      'team/change.njk',
      {
        pageTitle: `Change ${record.name}`,
        backLink: '/console/team',
        errors,
        fieldErrors: fieldErrorsOf(errors),
        member: teamRows([record], timeZone)[0],
        form,
        ...choices(form),
      },
      errors.length ? 400 : 200,
    );
  }

  routes.get('/console/team/:id/change', async (c) => {
    const record = await member(c);
    if (record.removedAt !== undefined) return removedPage(c, record);
    if (record.id === signedIn(c).staff.id) return yourselfPage(c, 'change');
    return changePage(c, record, { department: record.department, role: record.role, mode: record.mode });
  });
  routes.post('/console/team/:id/change', async (c) => {
    const record = await member(c);
    const form = formOf(await c.req.parseBody(), changeFields);
    // The API's own schema: the same rules and words as PATCH /v1/staff/{id}.
    const parsed = staffChangeSchema.safeParse(form);
    if (!parsed.success) return changePage(c, record, form, formErrors(parsed.error.issues, changeFields, form));
    try {
      await changeStaff(deps.broadcasts, signedIn(c).principal, record.id, parsed.data);
      return c.redirect(`/console/team?changed=${record.id}`, 303);
    } catch (error) {
      // Granting a department this operator does not manage is about the department; losing the
      // last operator of every department (or oneself) is about the role.
      if (error instanceof ForbiddenError) return changePage(c, record, form, [{ text: sentence(error.message), href: '#department' }]);
      if (error instanceof ConflictError) return changePage(c, record, form, [{ text: sentence(error.message), href: '#role' }]);
      throw error;
    }
  });

  function removedPage(c: Context<ConsoleEnv>, record: StaffRecord) {
    return messagePage(c, 200, 'This person has already been removed', [`${record.name} can no longer sign in.`], { href: '/console/team', text: 'Back to the team' });
  }

  /** Nobody changes or removes themselves (another operator must): said before a form is offered. */
  function yourselfPage(c: Context<ConsoleEnv>, what: 'change' | 'remove') {
    return messagePage(
      c,
      200,
      `You cannot ${what} yourself`,
      [`Another operator must ${what === 'change' ? 'change your role, department or mode' : 'remove you'}, so the team is never left without someone who can manage it.`],
      { href: '/console/team', text: 'Back to the team' },
    );
  }

  routes.get('/console/team/:id/remove', async (c) => {
    const record = await member(c);
    if (record.id === signedIn(c).staff.id) return yourselfPage(c, 'remove');
    if (record.removedAt !== undefined) {
      return messagePage(c, 200, 'This person has already been removed', [`${record.name} can no longer sign in.`], { href: '/console/team', text: 'Back to the team' });
    }
    return page(c, 'team/remove.njk', {
      pageTitle: `Remove ${record.name} from the team?`,
      backLink: '/console/team',
      member: teamRows([record], timeZone)[0],
    });
  });
  routes.post('/console/team/:id/remove', async (c) => {
    const record = await member(c);
    await removeStaff(deps.broadcasts, signedIn(c).principal, record.id);
    return c.redirect(`/console/team?removed=${record.id}`, 303);
  });
  return routes;
}

/** "a test sender in department traffic", "an operator in all departments". */
function whatAndWhere(record: StaffRecord): string {
  const what = `${record.mode === 'test' ? 'test ' : ''}${roleOptions[record.role].label.toLowerCase()}`;
  const where = record.department === '*' ? departmentLabel(record.department).toLowerCase() : `department ${record.department}`;
  return `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} in ${where}`;
}
