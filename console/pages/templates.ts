import { Hono, type Context } from 'hono';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import { placeholdersOf } from '../../shared/templates/placeholders.js';
import {
  archiveTemplate,
  createTemplate,
  editTemplate,
  getTemplate,
  listTemplates,
  templateDepartmentOf,
  templateVersions,
} from '../../shared/templates/manage-templates.js';
import { templateIdSchema, templateTexts, type MessageTemplate } from '../../shared/templates/template.js';
import { authorize } from '../../shared/staff/access.js';
import type { ConsoleEnv } from '../console-env.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { page } from '../page.js';
import type { FieldError } from '../views-model/field-error.js';
import { sentence } from '../sentence.js';
import { signedIn } from '../signed-in.js';
import type { FormBody } from '../views-model/broadcast-draft.js';
import { may } from '../views-model/permissions.js';
import { contentFromForm, emptyTemplateForm, templateFormFrom, templateFormOf, type TemplateForm } from '../views-model/template-form.js';
import { chargeCounter, templateListView, templateMessagesView, versionsView } from '../views-model/template-view.js';

const BASE = '/console/templates';

function fieldErrors(errors: FieldError[]): Record<string, { text: string }> {
  return Object.fromEntries(errors.map((error) => [error.href.replace(/^#/, ''), { text: error.text }]));
}

/**
 * Saved templates (GOV.UK Notify's templates pages): the department's list by folder, a
 * template's page (its message by SMS and WhatsApp in each language, and who changed what), new,
 * edit (a new version, refused if someone else's came first) and archive after a confirmation.
 * Every action is its use case (shared/templates/manage-templates.ts), as the person.
 */
export function templatePages(deps: ConsoleDependencies) {
  const routes = new Hono<ConsoleEnv>();
  const core = deps.broadcasts;
  const { timeZone } = core.window;

  async function load(c: Context<ConsoleEnv>): Promise<MessageTemplate> {
    const id = c.req.param('id') ?? '';
    if (!templateIdSchema.safeParse(id).success) throw new NotFoundError(`no template ${id}`);
    return getTemplate(core, signedIn(c).principal, id);
  }

  function formPage(c: Context<ConsoleEnv>, form: TemplateForm, errors: FieldError[] = [], template?: MessageTemplate, status: 200 | 400 | 409 = 200) {
    const heading = template ? `Change ${template.name}` : 'New template';
    return page(
      c,
      'templates/form.njk',
      {
        pageTitle: heading,
        heading,
        backLink: template ? `${BASE}/${template.id}` : BASE,
        action: template ? `${BASE}/${template.id}/edit` : `${BASE}/new`,
        form,
        errors,
        fieldErrors: fieldErrors(errors),
        scripts: ['message-counter.js'],
        counters: { message: chargeCounter(form.message), welsh: chargeCounter(form.welsh), spanish: chargeCounter(form.spanish) },
      },
      errors.length ? (status === 200 ? 400 : status) : 200,
    );
  }

  routes.get(BASE, async (c) => {
    const { principal } = signedIn(c);
    const templates = await listTemplates(core, principal);
    return page(c, 'templates/list.njk', {
      pageTitle: 'Templates',
      department: templateDepartmentOf(principal),
      folders: templateListView(templates),
      mayWrite: may(principal, 'templates:write', { department: templateDepartmentOf(principal) }),
      notice: c.req.query('archived') ? 'The template has been archived.' : undefined,
    });
  });

  routes.get(`${BASE}/new`, async (c) => {
    const { principal } = signedIn(c);
    authorize(principal, 'templates:write', { department: templateDepartmentOf(principal) });
    return formPage(c, emptyTemplateForm);
  });
  routes.post(`${BASE}/new`, async (c) => {
    const form = templateFormFrom((await c.req.parseBody({ all: true })) as FormBody);
    const content = contentFromForm(form);
    if (!content.ok) return formPage(c, form, content.errors);
    const template = await createTemplate(core, signedIn(c).principal, content.content);
    return c.redirect(`${BASE}/${template.id}`, 303);
  });

  // The live counter's source: the message step's count, in the words of this page.
  routes.post(`${BASE}/count`, async (c) => {
    signedIn(c);
    const form = (await c.req.parseBody({ all: true })) as FormBody;
    return c.json(chargeCounter(typeof form.text === 'string' ? form.text : ''));
  });

  routes.get(`${BASE}/:id`, async (c) => {
    const { principal } = signedIn(c);
    const template = await load(c);
    const versions = await templateVersions(core, principal, template.id);
    const active = template.archivedAt === undefined;
    return page(c, 'templates/template.njk', {
      pageTitle: template.name,
      backLink: BASE,
      template,
      messages: templateMessagesView(template),
      placeholders: placeholdersOf(templateTexts(template)).map((placeholder) => `((${placeholder.name}))`),
      versions: versionsView(versions, timeZone),
      mayWrite: active && may(principal, 'templates:write', { department: template.department }),
      mayBroadcast: active && may(principal, 'broadcasts:create'),
      saved: c.req.query('saved') === '1',
    });
  });

  routes.get(`${BASE}/:id/edit`, async (c) => {
    const template = await load(c);
    // The page offers only what the use case would allow: a reader is refused the form itself.
    authorize(signedIn(c).principal, 'templates:write', { department: template.department });
    if (template.archivedAt !== undefined) throw new ConflictError(`template ${template.id} is archived: it can no longer be changed`);
    return formPage(c, templateFormOf(template), [], template);
  });
  routes.post(`${BASE}/:id/edit`, async (c) => {
    const template = await load(c);
    const form = templateFormFrom((await c.req.parseBody({ all: true })) as FormBody);
    const content = contentFromForm(form);
    if (!content.ok) return formPage(c, form, content.errors, template);
    try {
      await editTemplate(core, signedIn(c).principal, template.id, { ...content.content, version: form.version ?? 0 });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Someone else's edit came first: what this person typed stays on the page, and nothing of theirs was written.
      const latest = `Someone else changed this template since you opened it: it is now version ${template.version}, by ${template.updatedByName}. Your changes have not been saved. Copy what you need, then open the template again.`;
      return formPage(c, form, [{ text: template.archivedAt ? sentence(error.message) : latest, href: '#name' }], template, 409);
    }
    return c.redirect(`${BASE}/${template.id}?saved=1`, 303);
  });

  routes.get(`${BASE}/:id/archive`, async (c) => {
    const template = await load(c);
    authorize(signedIn(c).principal, 'templates:write', { department: template.department });
    return page(c, 'templates/archive.njk', { pageTitle: `Archive ${template.name}?`, backLink: `${BASE}/${template.id}`, template });
  });
  routes.post(`${BASE}/:id/archive`, async (c) => {
    const template = await load(c);
    await archiveTemplate(core, signedIn(c).principal, template.id);
    return c.redirect(`${BASE}?archived=1`, 303);
  });

  return routes;
}
